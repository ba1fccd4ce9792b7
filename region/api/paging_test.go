package api

import (
	"testing"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

func TestItemsFilterKeyAttr(t *testing.T) {
	def := storage.TableDef{PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS},
		SortKey: &storage.KeyAttr{Name: "sk", Type: item.TypeN}}
	names := map[string]string{"#k": "sk", "#a": "a"}
	for _, tc := range []struct{ expr, want string }{
		{"a = :v", ""},
		{"pk = :v", "pk"},
		{"a.pk = :v AND b[1].sk > :w", ""},
		{"size(sk) > :n", "sk"},
		{"attribute_exists (#k)", "sk"},
		{"#a = :pk", ""},
		{"NOT contains(a, :sk) or x BETWEEN :a AND :b", ""},
		{"x IN (:a, :b) and sk <> :c", "sk"},
	} {
		if got := filterKeyAttr(def, tc.expr, names); got != tc.want {
			t.Errorf("filterKeyAttr(%q) = %q, want %q", tc.expr, got, tc.want)
		}
	}
}
