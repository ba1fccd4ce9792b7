package api

import (
	"context"
	"testing"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// TestVersionExhaustedIsInternalError: an item whose version carries the
// maximal timestamp (only a crafted or corrupt version does) cannot be
// overwritten, since no greater version exists (conflict.ErrVersionExhausted).
// Every write path answers InternalServerError, without panicking, and
// the item is left as it was.
func TestVersionExhaustedIsInternalError(t *testing.T) {
	s := newItemsServer(t)
	key := item.Item{"id": item.Str("max")}
	maxV := conflict.Version{TS: hlc.MaxTimestamp, Region: "eu-west-1"}
	if _, err := s.store.Update(context.Background(), "hash", key, func(item.Item, storage.Meta) (storage.Mutation, error) {
		return storage.Mutation{Put: item.Item{"id": item.Str("max"), "v": item.Str("remote")}, Version: maxV.Encode(), Origin: "eu-west-1"}, nil
	}); err != nil {
		t.Fatal(err)
	}
	k := `"Key":{"id":{"S":"max"}}`
	for _, c := range []struct {
		name string
		h    handler
		body string
	}{
		{"PutItem", putItem, `{"TableName":"hash","Item":{"id":{"S":"max"},"v":{"S":"local"}}}`},
		{"UpdateItem", updateItem, `{"TableName":"hash",` + k + `,"UpdateExpression":"SET v = :v","ExpressionAttributeValues":{":v":{"S":"local"}}}`},
		{"DeleteItem", deleteItem, `{"TableName":"hash",` + k + `}`},
		{"BatchWriteItem", batchWriteItem, `{"RequestItems":{"hash":[{"PutRequest":{"Item":{"id":{"S":"max"}}}}]}}`},
		{"TransactWriteItems", transactWriteItems, `{"TransactItems":[{"Put":{"TableName":"hash","Item":{"id":{"S":"max"}}}}]}`},
	} {
		_, e := do(t, s, c.h, c.body)
		if e == nil || e.Type != typeInternal {
			t.Errorf("%s over the maximal version: error %+v, want %s", c.name, e, typeInternal)
		}
	}
	got := must(t, s, getItem, `{"TableName":"hash",`+k+`}`)
	if v, _ := field(got, "Item", "v", "S").(string); v != "remote" {
		t.Errorf("item after the refused writes: %v, want it unchanged", got)
	}
}
