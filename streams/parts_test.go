package streams

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
)

// partsOf returns the part messages' data of c sent whole in parts of n
// bytes, attempt attempt.
func partsOf(c *Change, attempt uint64, n int) [][]byte {
	whole := EncodeBatch(nil, []*Change{c})
	var out [][]byte
	for off := 0; off < len(whole); {
		var data []byte
		data, off = appendPartData(nil, c.Seq, attempt, whole, off, n)
		out = append(out, data)
	}
	return out
}

func testChange(seq uint64, pad int) *Change {
	key := item.Item{"pk": item.Str(fmt.Sprint("k", seq))}
	return &Change{Kind: KindItem, Seq: seq, Table: "t", Origin: "r", Version: []byte{1, byte(seq)}, Key: key,
		New: item.Item{"pk": key["pk"], "pad": item.Str(strings.Repeat("x", pad))}, Group: seq, GroupSize: 1,
		Trace: []byte("00-trace-01")}
}

// TestAssemblerReassemblesParts: parts give back the change whole, with
// its trace; a whole message passes through; a change started again (a
// part at offset 0, or a whole message) replaces an incomplete one.
func TestAssemblerReassemblesParts(t *testing.T) {
	var a Assembler
	big := testChange(7, 10<<10)
	ps := partsOf(big, 0, 1000)
	if len(ps) < 10 {
		t.Fatalf("%d parts", len(ps))
	}
	add := func(data []byte) []*Change {
		t.Helper()
		cs, err := a.Add(data, "")
		if err != nil {
			t.Fatal(err)
		}
		return cs
	}
	for i, p := range ps {
		cs := add(p)
		_, _, _, open := a.Open()
		if i < len(ps)-1 && (cs != nil || !open) {
			t.Fatalf("part %d of %d: %d changes, open %v", i, len(ps), len(cs), open)
		}
		if i == len(ps)-1 && (len(cs) != 1 || open || !item.EqualItems(cs[0].New, big.New) || string(cs[0].Trace) != "00-trace-01") {
			t.Fatalf("last part: %+v, open %v", cs, open)
		}
	}
	// Started again after three parts: the first attempt is dropped.
	for _, p := range ps[:3] {
		add(p)
	}
	if seq, have, total, open := a.Open(); !open || seq != 7 || have != 3000 || total <= 3000 {
		t.Fatalf("Open() = %d, %d, %d, %v", seq, have, total, open)
	}
	again := partsOf(big, 1, 4000)
	var got []*Change
	for _, p := range again {
		got = append(got, add(p)...)
	}
	if len(got) != 1 || got[0].Seq != 7 {
		t.Fatalf("second attempt gave %d changes", len(got))
	}
	// A whole message after an incomplete change drops it.
	add(ps[0])
	if cs := add(EncodeBatch(nil, []*Change{testChange(8, 1)})); len(cs) != 1 || cs[0].Seq != 8 {
		t.Fatalf("whole message after a part: %+v", cs)
	}
	if _, _, _, open := a.Open(); open {
		t.Fatal("still open after a whole message")
	}
}

// TestAssemblerRefusesBadParts: a part that does not continue the change
// held is malformed; parts whose start never came are reported once.
func TestAssemblerRefusesBadParts(t *testing.T) {
	ps := partsOf(testChange(7, 10<<10), 0, 1000)
	other := partsOf(testChange(9, 10<<10), 0, 1000)
	var a Assembler
	if _, err := a.Add(ps[0], ""); err != nil {
		t.Fatal(err)
	}
	for _, bad := range [][]byte{ps[2], other[1], ps[0][:3], {partVersion}} {
		if _, err := a.Add(bad, ""); !errors.Is(err, ErrMalformed) {
			t.Fatalf("Add(%x...) = %v, want ErrMalformed", bad[:min(len(bad), 8)], err)
		}
	}
	var b Assembler
	if _, err := b.Add(ps[3], ""); !errors.Is(err, ErrPartWithoutStart) {
		t.Fatalf("orphan part: %v", err)
	}
	for _, p := range ps[4:] {
		if cs, err := b.Add(p, ""); cs != nil || err != nil {
			t.Fatalf("rest of an orphan: %v, %v", cs, err)
		}
	}
	if cs, err := b.Add(other[0], ""); cs != nil || err != nil {
		t.Fatalf("next change's first part: %v, %v", cs, err)
	}
}

func FuzzStreamsAssembler(f *testing.F) {
	for _, p := range partsOf(testChange(3, 3000), 0, 500) {
		f.Add(p)
	}
	f.Add(EncodeBatch(nil, []*Change{testChange(1, 10)}))
	f.Fuzz(func(t *testing.T, b []byte) {
		var a Assembler
		for range 3 {
			_, _ = a.Add(b, "") // must not panic
		}
	})
}

// hugeChange is change seq of a 400 KB item of numbers 1E-130, which
// encodes to about 18.4 MB.
func hugeChange(region string, seq uint64) Change {
	c := testChange(seq, 0)
	c.Origin, c.Trace = region, nil
	c.New = numberList(c.Key["pk"].S, "0."+strings.Repeat("0", 129)+"1")
	return *c
}

// TestPublisherSendsLargeChangeInParts: a change larger than NATS's max
// payload (1 MiB, the default) goes in parts, each within it, between
// packed messages of the changes around it, and the stream holds every
// change once, in order.
func TestPublisherSendsLargeChangeInParts(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	log := bigChanges("r", 6)
	log.changes[2] = hugeChange("r", 3)
	mid := testChange(5, 0)
	mid.Origin, mid.New = "r", numberList(mid.Key["pk"].S, "1000000000") // about 1.6 MB
	log.changes[4] = *mid
	p := runPublisher(t, PublisherOptions{Log: log, JS: js, Region: "r"})
	eventually(t, 30*time.Second, holdsExactly(js, "r", 6))
	if p.Published() != 6 || p.Errors() != 0 {
		t.Fatalf("published %d, %d failed rounds", p.Published(), p.Errors())
	}
	max := js.Conn().MaxPayload()
	ctx := context.Background()
	st, err := js.Stream(ctx, StreamName("r"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if info.State.Msgs < 20 {
		t.Fatalf("%d messages for two changes of 18.4 and 1.6 MB in parts and four small ones", info.State.Msgs)
	}
	for s := info.State.FirstSeq; s <= info.State.LastSeq; s++ {
		m, err := st.GetMsg(ctx, s)
		if err != nil {
			t.Fatal(err)
		}
		if n := int64(len(m.Data) + len(m.Header.Get("Nats-Msg-Id")) + len(m.Header.Get("Nats-Expected-Last-Msg-Id")) + 64); n > max {
			t.Fatalf("stream seq %d: about %d bytes, over the max payload %d", s, n, max)
		}
	}
}

// TestPublisherRestartsPartsAfterFailure: a round that fails part-way
// through a change's parts starts the change again with new message ids
// (the next attempt), and replicas, dropping the incomplete first
// attempt, get it once.
func TestPublisherRestartsPartsAfterFailure(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	log := &memLog{changes: []Change{*testChange(1, 10), hugeChange("r", 2), *testChange(3, 10)}}
	for i := range log.changes {
		log.changes[i].Origin = "r"
	}
	fjs := &faultyJS{JetStream: js, nth: 6} // the first message, then parts 0-3 land; part 4 fails
	p := runPublisher(t, PublisherOptions{Log: log, JS: fjs, Region: "r", Retry: 10 * time.Millisecond})
	eventually(t, 30*time.Second, holdsExactly(js, "r", 3))
	if p.Errors() == 0 {
		t.Fatal("no round failed")
	}
	ctx := context.Background()
	st, err := js.Stream(ctx, StreamName("r"))
	if err != nil {
		t.Fatal(err)
	}
	m, err := st.GetMsg(ctx, 5) // the first attempt's last part in the stream
	if err != nil {
		t.Fatal(err)
	}
	if got, want := m.Header.Get("Nats-Msg-Id"), "r:2#0@"; !strings.HasPrefix(got, want) {
		t.Fatalf("stream seq 5 is %q, want a part of the first attempt at seq 2", got)
	}
	if m, err = st.GetMsg(ctx, 6); err != nil {
		t.Fatal(err)
	}
	if got, want := m.Header.Get("Nats-Msg-Id"), "r:2#1@0"; got != want {
		t.Fatalf("stream seq 6 is %q, want %q: the second attempt from its start", got, want)
	}
}

// TestPublisherNarrowsMixedGroups (issue 13, case 7): a commit here that
// mixed other regions' changes in (a backfill's copy) is published with
// this region's changes only, and its group ends with the last of them,
// also when the group straddles the publisher's reads.
func TestPublisherNarrowsMixedGroups(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	// Seqs 2-7 are one commit; r originated 3, 4 and 6 of it. The
	// publisher reads two records at a time, so a read ends at 4.
	origins := []string{"r", "x", "r", "r", "x", "r", "x", "r"}
	log := &memLog{}
	for i, o := range origins {
		c := testChange(uint64(i+1), 10)
		c.Origin = o
		if seq := i + 1; seq >= 2 && seq <= 7 {
			c.Group, c.GroupSize = 2, 6
		}
		log.changes = append(log.changes, *c)
	}
	runPublisher(t, PublisherOptions{Log: log, JS: js, Region: "r", Window: 2})
	var got []*Change
	eventually(t, 10*time.Second, func() error {
		got = nil
		ctx := context.Background()
		st, err := js.Stream(ctx, StreamName("r"))
		if err != nil {
			return err
		}
		info, err := st.Info(ctx)
		if err != nil {
			return err
		}
		for s := info.State.FirstSeq; s > 0 && s <= info.State.LastSeq; s++ {
			m, err := st.GetMsg(ctx, s)
			if err != nil {
				return err
			}
			cs, err := DecodeMessage(m.Data, "")
			if err != nil {
				return err
			}
			got = append(got, cs...)
		}
		if len(got) != 5 {
			return fmt.Errorf("stream holds %d changes, want r's 5", len(got))
		}
		return nil
	})
	var seqs []uint64
	for _, c := range got {
		seqs = append(seqs, c.Seq)
	}
	if fmt.Sprint(seqs) != "[1 3 4 6 8]" {
		t.Fatalf("stream holds changes %v, want [1 3 4 6 8]", seqs)
	}
	for _, c := range got[1:4] {
		if c.Group != 2 || c.GroupSize != 5 {
			t.Fatalf("change %d in group %d+%d, want 2+5 (the group ends with r's change 6)", c.Seq, c.Group, c.GroupSize)
		}
	}
	if c := got[4]; c.Group != 8 || c.GroupSize != 1 {
		t.Fatalf("change 8 in group %d+%d", c.Group, c.GroupSize)
	}
}

// TestPublisherShrinksMessagesTheStreamRefuses: a stream whose server
// allows less than the connection's max payload refuses large messages
// (JetStream's "message size exceeds maximum"); the publisher bounds its
// messages lower until they land.
func TestPublisherShrinksMessagesTheStreamRefuses(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	fjs := &faultyJS{JetStream: js, maxData: 100 << 10}
	p := runPublisher(t, PublisherOptions{Log: bigChanges("r", 6), JS: fjs, Region: "r", Retry: 10 * time.Millisecond})
	eventually(t, 10*time.Second, holdsExactly(js, "r", 6))
	if p.Errors() == 0 {
		t.Fatal("no message was refused")
	}
}

// TestPublisherReportsFailure: a publisher whose messages are refused
// says so (Failing: since when, how often, from which change, why) rather
// than retrying silently, and stops saying so once it publishes again.
func TestPublisherReportsFailure(t *testing.T) {
	t.Parallel()
	js := startJetStream(t)
	fjs := &faultyJS{JetStream: js}
	fjs.refuse.Store(true)
	p := runPublisher(t, PublisherOptions{Log: bigChanges("r", 4), JS: fjs, Region: "r", Retry: 10 * time.Millisecond})
	eventually(t, 10*time.Second, func() error {
		f, failing := p.Failing()
		if !failing || f.Rounds < 3 || f.Seq != 1 || !strings.Contains(f.Err, "injected refusal") || f.Since.IsZero() || p.Connected() {
			return fmt.Errorf("Failing() = %+v, %v; Connected() = %v", f, failing, p.Connected())
		}
		return nil
	})
	fjs.refuse.Store(false)
	eventually(t, 10*time.Second, holdsExactly(js, "r", 4))
	eventually(t, 10*time.Second, func() error {
		if f, failing := p.Failing(); failing || !p.Connected() {
			return fmt.Errorf("still failing: %+v", f)
		}
		return nil
	})
}
