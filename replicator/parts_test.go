package replicator

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/storage/item"
	"github.com/concorddb/concord/streams"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
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

// TestReplicatorIncompleteGroupSaysStuck (issue 13, case 7): the source's
// stream ends inside a write group (here a message claiming a group of
// three that holds two; a publisher before this version sent such groups
// when a commit mixed other regions' changes in). The link waits for the
// rest, as the group must be applied whole, but not silently: once it
// has waited Options.GroupWait it reports itself stuck, with the group,
// and its pending gauge counts the waiting message. When the source's
// stream goes on, the link applies the group and is no longer stuck.
func TestReplicatorIncompleteGroupSaysStuck(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	ctx := context.Background()
	createTable(t, a, "t")
	createTable(t, b, "t")
	waitPublished(t, a)
	seq := a.store.LastSeq() + 100 // beyond a's own log: the message stands for another publisher's
	var group []*streams.Change
	for i := range 2 {
		v, err := conflict.NextLocal(a.clock, "a", nil)
		if err != nil {
			t.Fatal(err)
		}
		pk := item.Str(fmt.Sprint("g", i))
		group = append(group, &streams.Change{Kind: streams.KindItem, Seq: seq + uint64(i), Table: "t", Origin: "a",
			Version: v.Encode(), Key: item.Item{"pk": pk}, New: item.Item{"pk": pk}, Group: seq, GroupSize: 3})
	}
	msg := nats.NewMsg(streams.Subject("a"))
	msg.Data = streams.EncodeBatch(nil, group)
	msg.Header.Set(jetstream.MsgIDHeader, "a:partial-group")
	msg.Header.Set(streams.HeaderSeq, fmt.Sprint(a.store.LastSeq()))
	ack, err := a.js.PublishMsg(ctx, msg)
	if err != nil {
		t.Fatal(err)
	}
	rep := follow(t, b, a, func(o *Options) { o.GroupWait = 200 * time.Millisecond })
	eventually(t, 10*time.Second, func() error {
		st := rep.Status()
		if st.State != StateStuck || st.StuckSeq != ack.Sequence+1 || !strings.Contains(st.Reason, fmt.Sprintf("write group seq %d-%d", seq, seq+2)) ||
			st.Pending == 0 || st.Connected {
			return fmt.Errorf("status %+v, want stuck at stream seq %d waiting for the rest of the group, with the waiting message pending", st, ack.Sequence+1)
		}
		return nil
	})
	if st, _ := b.store.Stats("t"); st.ItemCount != 0 {
		t.Fatalf("b applied part of the group: %d items", st.ItemCount)
	}
	a.write(t, "t", "after", item.Item{"pk": item.Str("after")})
	eventually(t, 10*time.Second, func() error {
		if st, _ := b.store.Stats("t"); st.ItemCount != 3 {
			return fmt.Errorf("b holds %d items, want the group's 2 and the write after it", st.ItemCount)
		}
		if st := rep.Status(); st.State != StateConnected || st.Pending != 0 {
			return fmt.Errorf("status %+v, want connected, nothing pending", st)
		}
		return nil
	})
}

// TestReplicatorAcksChangeInPartsOnlyWhole: a link that has some of a
// change's parts and stops (the peer removed, a crash) has acknowledged
// none of them, so the next run gets them again; when the stream then
// holds the change sent again whole by a restarted publisher (the next
// attempt, from its first part), the change is applied once. The parts
// are written by hand here, in the format streams/parts.go documents.
func TestReplicatorAcksChangeInPartsOnlyWhole(t *testing.T) {
	t.Parallel()
	a, b := startRegion(t, "a", nil), startRegion(t, "b", nil)
	ctx := context.Background()
	createTable(t, a, "t")
	createTable(t, b, "t")
	waitPublished(t, a)
	v, err := conflict.NextLocal(a.clock, "a", nil)
	if err != nil {
		t.Fatal(err)
	}
	big := numberList("big", "1000000000")
	seq := a.store.LastSeq() + 100 // stands for a change of another publisher
	whole := streams.EncodeBatch(nil, []*streams.Change{{Kind: streams.KindItem, Seq: seq, Table: "t", Origin: "a",
		Version: v.Encode(), Key: item.Item{"pk": big["pk"]}, New: big, Group: seq, GroupSize: 1}})
	const partBytes = 512 << 10
	publishParts := func(attempt uint64, from, to int) (last uint64) {
		t.Helper()
		for i := from; i < to; i++ {
			off := i * partBytes
			if off >= len(whole) {
				t.Fatalf("part %d of a %d-byte message", i, len(whole))
			}
			end := min(off+partBytes, len(whole))
			data := []byte{6} // the part format
			for _, u := range []uint64{seq, attempt, uint64(len(whole)), uint64(off)} {
				data = binary.AppendUvarint(data, u)
			}
			msg := nats.NewMsg(streams.Subject("a"))
			msg.Data = append(data, whole[off:end]...)
			msg.Header.Set(jetstream.MsgIDHeader, streams.PartMsgID("a", seq, attempt, off))
			msg.Header.Set(streams.HeaderSeq, fmt.Sprint(a.store.LastSeq()))
			ack, err := a.js.PublishMsg(ctx, msg)
			if err != nil {
				t.Fatal(err)
			}
			last = ack.Sequence
		}
		return last
	}
	parts := (len(whole) + partBytes - 1) / partBytes
	if parts < 3 {
		t.Fatalf("%d parts", parts)
	}
	lastPart := publishParts(0, 0, parts-1) // all but the last

	run := func() (*Replicator, func()) {
		rep := New(Options{Store: b.store, Clock: b.clock, Region: "b", Source: "a", JS: connect(t, a.ns),
			Retry: 20 * time.Millisecond, GroupWait: 100 * time.Millisecond})
		rctx, cancel := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { defer close(done); _ = rep.Run(rctx) }()
		return rep, func() { cancel(); <-done }
	}
	rep, stop := run()
	eventually(t, 10*time.Second, func() error {
		if st := rep.Status(); st.State != StateStuck || st.StuckSeq != lastPart+1 || !strings.Contains(st.Reason, "sent in parts") {
			return fmt.Errorf("status %+v, want stuck waiting for stream seq %d", st, lastPart+1)
		}
		return nil
	})
	stop()
	cons, err := a.js.Consumer(ctx, streams.StreamName("a"), ConsumerName("b"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := cons.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if first := lastPart - uint64(parts-2); info.AckFloor.Stream >= first {
		t.Fatalf("ack floor at stream seq %d, want it before the first part (%d)", info.AckFloor.Stream, first)
	}
	// The publisher "restarted": the change again, whole, as attempt 1.
	publishParts(1, 0, parts)
	rep, stop = run()
	defer stop()
	eventually(t, 10*time.Second, func() error {
		got, err := b.store.Get(ctx, "t", item.Item{"pk": big["pk"]})
		if err != nil || !item.EqualItems(got, big) {
			return fmt.Errorf("b does not hold the change yet: %v", err)
		}
		if st := rep.Status(); st.State != StateConnected || st.Pending != 0 || st.Applied != 1 || st.Skipped != 0 {
			return fmt.Errorf("status %+v, want the change applied once", st)
		}
		return nil
	})
}
