package table

import (
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
)

func TestTableTTLExpired(t *testing.T) {
	now := time.Unix(1_700_000_000, 0)
	cases := []struct {
		v    item.Value
		want bool
	}{
		{item.Num("1699999999"), true},
		{item.Num("1700000000"), true},
		{item.Num("1699999999.5"), true},
		{item.Num("1700000001"), false},
		{item.Num("99999999999999999999999999"), false},
		{item.Str("1"), false},
	}
	for _, c := range cases {
		if got := Expired(item.Item{"exp": c.v}, "exp", now); got != c.want {
			t.Errorf("Expired(%v) = %v, want %v", c.v, got, c.want)
		}
	}
	if Expired(item.Item{}, "exp", now) {
		t.Error("an item without the attribute expired")
	}
}
