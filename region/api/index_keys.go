package api

import (
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// checkIndexKeys rejects a local write whose item carries a secondary
// index key attribute DynamoDB would refuse: of another type than the
// index declares, an empty string or binary, or larger than a key may be.
// Items without the attribute are fine: they are just absent from the
// (sparse) index. Replicated writes are not checked again: their origin
// did.
func checkIndexKeys(def storage.TableDef, it item.Item) error {
	for _, x := range def.Indexes {
		attrs := []storage.KeyAttr{x.PartitionKey}
		if x.SortKey != nil {
			attrs = append(attrs, *x.SortKey)
		}
		for i, a := range attrs {
			if isKeyAttr(def, a.Name) {
				continue // checked as the table's own key
			}
			v, ok := it[a.Name]
			if !ok {
				continue
			}
			if v.Type != a.Type {
				return errValidation("One or more parameter values were invalid: Type mismatch for Index Key %s Expected: %s Actual: %s IndexName: %s",
					a.Name, a.Type, v.Type, x.Name)
			}
			if (v.Type == item.TypeS || v.Type == item.TypeB) && len(v.S) == 0 {
				return errValidation("One or more parameter values are not valid. A value specified for a secondary index key is not supported. The AttributeValue for a key attribute cannot contain an empty %s value. IndexName: %s, IndexKey: %s",
					map[item.Type]string{item.TypeS: "string", item.TypeB: "binary"}[v.Type], x.Name, a.Name)
			}
			limit := item.MaxPartitionKeySize
			if i == 1 {
				limit = item.MaxSortKeySize
			}
			if v.Size() > limit {
				return errValidation("One or more parameter values were invalid: Size of an index key attribute has exceeded the maximum size limit of %d bytes. IndexName: %s, IndexKey: %s",
					limit, x.Name, a.Name)
			}
		}
	}
	return nil
}
