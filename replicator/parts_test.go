package replicator

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
)

// numberList is a 400 KB item (DynamoDB's count) holding a list of the
// number n: DynamoDB counts a number by its significant digits, the
// encoding keeps its plain decimal form, so it encodes to far more.
func numberList(pk, n string) item.Item {
	it := item.Item{"pk": item.Str(pk)}
	elem := item.Num(n)
	l := make([]item.Value, (item.MaxItemSize-it.Size()-len("l")-3)/(1+elem.Size()))
	for i := range l {
		l[i] = elem
	}
	it["l"] = item.Value{Type: item.TypeL, L: l}
	return it
}

// TestReplicatorLargeChangesTravelInParts: one PutItem of a 400 KB item
// of many small-mantissa numbers encodes to 1.6 MB ("1000000000") or
// 18.4 MB (1E-130), beyond NATS's default 1 MiB max payload, which the
// embedded servers here keep. It used to stop the publisher for good:
// the publish failed and was retried for ever, and nothing after it
// reached any peer. Each such change now travels in parts and replicates,
// as does a group holding two of them, and the changes after them.
func TestReplicatorLargeChangesTravelInParts(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	if mp := a.js.Conn().MaxPayload(); mp != 1<<20 {
		t.Fatalf("max payload %d, want NATS's default 1 MiB", mp)
	}
	createTable(t, a, "t")
	createTable(t, b, "t")
	rep := follow(t, b, a)
	mid := numberList("mid", "1000000000")
	huge := numberList("huge", "0."+strings.Repeat("0", 129)+"1")
	for _, it := range []item.Item{mid, huge} {
		if it.Size() > item.MaxItemSize {
			t.Fatalf("item of %d bytes", it.Size())
		}
		if n := len(streams.EncodeChange(nil, &streams.Change{Key: item.Item{"pk": it["pk"]}, New: it})); n < 1<<20 {
			t.Fatalf("item %s encodes to %d bytes, want more than 1 MiB", it["pk"].S, n)
		}
	}
	a.write(t, "t", "mid", mid)
	a.write(t, "t", "huge", huge)
	a.writeMany(t, "t", []item.Item{numberList("g1", "1000000000"), numberList("g2", "1000000000"), {"pk": item.Str("g3")}})
	a.write(t, "t", "after", item.Item{"pk": item.Str("after")})
	eventually(t, 30*time.Second, converged("t", a, b))
	for _, want := range []item.Item{mid, huge} {
		got, err := b.store.Get(context.Background(), "t", item.Item{"pk": want["pk"]})
		if err != nil || !item.EqualItems(got, want) {
			t.Fatalf("b's %s differs from a's: %v", want["pk"].S, err)
		}
	}
	if st, _ := b.store.Stats("t"); st.ItemCount != 6 {
		t.Fatalf("b holds %d items, want 6", st.ItemCount)
	}
	if st := rep.Status(); st.State != StateConnected || st.Skipped != 0 {
		t.Fatalf("link status %+v", st)
	}
}
