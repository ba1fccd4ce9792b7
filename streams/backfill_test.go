package streams

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

var quietLog = slog.New(slog.NewTextHandler(io.Discard, nil))

// backfillSource is a region that serves backfill requests: a store, an
// embedded NATS server with its default 1 MiB max payload, and the server.
type backfillSource struct {
	store *storage.Store
	nc    *nats.Conn
	srv   *BackfillServer
	wall  atomic.Int64
}

func startBackfillSource(t *testing.T) *backfillSource {
	t.Helper()
	st, err := storage.Open("db", storage.Options{FS: vfs.NewMem(), Logger: quietLog})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = st.Close() })
	ns, err := server.NewServer(&server.Options{Host: "127.0.0.1", Port: -1, NoSigs: true, NoLog: true})
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	t.Cleanup(func() { ns.Shutdown(); ns.WaitForShutdown() })
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats not ready")
	}
	nc, err := nats.Connect(ns.ClientURL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	if nc.MaxPayload() != 1<<20 {
		t.Fatalf("max payload %d, the test assumes NATS's default 1 MiB", nc.MaxPayload())
	}
	srv, err := ServeBackfill(nc, "a", st, quietLog)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = srv.Close() })
	s := &backfillSource{store: st, nc: nc, srv: srv}
	if _, err := st.CreateTable(context.Background(), storage.TableDef{Name: "t", Origin: "a",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	return s
}

// write puts it (or deletes the key pk, when it is nil) with a new version.
func (s *backfillSource) write(t *testing.T, pk string, it item.Item) []byte {
	t.Helper()
	v := conflict.Version{TS: hlc.Timestamp{Wall: s.wall.Add(1)}, Region: "a"}.Encode()
	_, err := s.store.Update(context.Background(), "t", item.Item{"pk": item.Str(pk)},
		func(item.Item, storage.Meta) (storage.Mutation, error) {
			if it == nil {
				return storage.Mutation{Delete: true, Version: v, Origin: "a"}, nil
			}
			return storage.Mutation{Put: it, Version: v, Origin: "a"}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
	return v
}

// fetch backfills table from s on a connection of its own, and returns the
// changes by key and the sizes of the pages' replies.
func (s *backfillSource) fetch(t *testing.T, c BackfillClient, table string) (map[string]*Change, error) {
	t.Helper()
	nc, err := nats.Connect(s.nc.ConnectedUrl())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c.Conn, c.Source = nc, "a"
	if c.Timeout == 0 {
		c.Timeout = 10 * time.Second
	}
	got := map[string]*Change{}
	_, err = c.Fetch(context.Background(), table, func(cs []*Change) error {
		for _, ch := range cs {
			if _, dup := got[ch.Key["pk"].S]; dup {
				return fmt.Errorf("%s sent twice", ch.Key["pk"].S)
			}
			got[ch.Key["pk"].S] = ch
		}
		return nil
	})
	return got, err
}

// numberList is an item whose DynamoDB size is about item.MaxItemSize: a
// list of the number n, repeated.
func numberList(pk, n string) item.Item {
	it := item.Item{"pk": item.Str(pk)}
	elem := item.Num(n)
	count := (item.MaxItemSize - it.Size() - len("l") - 3) / (1 + elem.Size())
	l := make([]item.Value, count)
	for i := range l {
		l[i] = elem
	}
	it["l"] = item.Value{Type: item.TypeL, L: l}
	return it
}

func encodedSize(it item.Item) int {
	return len(EncodeChange(nil, &Change{Kind: KindItem, Table: "t", Origin: "a",
		Version: make([]byte, 13), Key: item.Item{"pk": it["pk"]}, New: it}))
}

// TestBackfillPagesFitMaxPayload (issue 13, case 5c): items of many small
// numbers encode to more than their DynamoDB size, so two 400 KB items
// exceed NATS's 1 MiB payload. Pages are bounded by their encoded size,
// and every item arrives.
func TestBackfillPagesFitMaxPayload(t *testing.T) {
	t.Parallel()
	s := startBackfillSource(t)
	want := map[string]item.Item{}
	for i := range 5 {
		it := numberList(fmt.Sprint("big", i), "1000") // 3 bytes counted, 6 encoded
		if i == 0 {
			if it.Size() > item.MaxItemSize || it.Size() < item.MaxItemSize-16 {
				t.Fatalf("item of %d bytes, want about %d", it.Size(), item.MaxItemSize)
			}
			if n := encodedSize(it); 2*n <= 1<<20 || n >= 1<<20 {
				t.Fatalf("item encodes to %d bytes: two of them must exceed 1 MiB, one must not", n)
			}
		}
		s.write(t, it["pk"].S, it)
		want[it["pk"].S] = it
	}
	for i := range 20 {
		it := item.Item{"pk": item.Str(fmt.Sprint("small", i))}
		s.write(t, it["pk"].S, it)
		want[it["pk"].S] = it
	}
	got, err := s.fetch(t, BackfillClient{}, "t")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != len(want) {
		t.Fatalf("backfill copied %d items, want %d", len(got), len(want))
	}
	for pk, it := range want {
		if !item.EqualItems(got[pk].New, it) {
			t.Fatalf("item %s differs after the backfill", pk)
		}
	}
	if st := s.srv.Stats(); st.Failed != 0 || st.Unsent != 0 || st.Pages < 5 {
		t.Fatalf("server stats %+v: want at least 5 pages (no two big items fit one) and no failures", st)
	}
}

// TestBackfillSendsLargeItemInParts: the worst case of the encoding, a
// 400 KB item of numbers with long plain forms (1E-130 is "0.000…01"),
// encodes to about 18 MB, beyond any max payload. It travels in parts and
// arrives whole, also when the requester asks for small replies.
func TestBackfillSendsLargeItemInParts(t *testing.T) {
	t.Parallel()
	s := startBackfillSource(t)
	huge := numberList("huge", "0."+strings.Repeat("0", 129)+"1")
	if n := encodedSize(huge); n < 40*item.MaxItemSize {
		t.Fatalf("worst-case item encodes to %d bytes, expected 45 times its DynamoDB size", n)
	}
	mid := numberList("mid", "1000000000") // about 1.6 MB
	s.write(t, "huge", huge)
	s.write(t, "mid", mid)
	s.write(t, "gone", item.Item{"pk": item.Str("gone")})
	s.write(t, "gone", nil)
	s.write(t, "small", item.Item{"pk": item.Str("small")})
	for _, maxBytes := range []int{0, 100 << 10} {
		got, err := s.fetch(t, BackfillClient{MaxBytes: maxBytes}, "t")
		if err != nil {
			t.Fatalf("MaxBytes %d: %v", maxBytes, err)
		}
		if len(got) != 4 || !item.EqualItems(got["huge"].New, huge) || !item.EqualItems(got["mid"].New, mid) ||
			got["gone"] == nil || got["gone"].New != nil || got["small"] == nil {
			t.Fatalf("MaxBytes %d: backfill copied %d records, want huge, mid, small and the tombstone of gone", maxBytes, len(got))
		}
	}
	if st := s.srv.Stats(); st.Failed != 0 || st.Unsent != 0 {
		t.Fatalf("server stats %+v", st)
	}
}

// TestBackfillPartRestartsWhenTheItemChanges: a part request for a
// version the source no longer holds starts the record again at offset 0.
func TestBackfillPartRestartsWhenTheItemChanges(t *testing.T) {
	t.Parallel()
	s := startBackfillSource(t)
	v1 := s.write(t, "k", numberList("k", "1000"))
	page := func(part *BackfillPartRequest) BackfillPage {
		t.Helper()
		b, _, err := backfillPage(context.Background(), s.store, BackfillRequest{Table: "t", Part: part}, 64<<10)
		if err != nil {
			t.Fatal(err)
		}
		if len(b) > 64<<10 {
			t.Fatalf("page of %d bytes over its 64 KB budget", len(b))
		}
		p, err := DecodeBackfillPage(b)
		if err != nil {
			t.Fatal(err)
		}
		if p.Part == nil {
			t.Fatal("want a part")
		}
		return p
	}
	first := page(nil)
	if first.Part.Offset != 0 || !bytes.Equal(first.Part.Version, v1) {
		t.Fatalf("first part at %d of version %x", first.Part.Offset, first.Part.Version)
	}
	next := page(&BackfillPartRequest{Version: v1, Offset: len(first.Part.Data)})
	if next.Part.Offset != len(first.Part.Data) {
		t.Fatalf("next part at %d, want %d", next.Part.Offset, len(first.Part.Data))
	}
	v2 := s.write(t, "k", numberList("k", "2000"))
	again := page(&BackfillPartRequest{Version: v1, Offset: len(first.Part.Data)})
	if again.Part.Offset != 0 || !bytes.Equal(again.Part.Version, v2) {
		t.Fatalf("after a change: part at %d of version %x, want 0 of %x", again.Part.Offset, again.Part.Version, v2)
	}
}

// TestBackfillErrorsAreTyped (issue 13, case 5a): the source's errors
// reach the requester as codes, not text: a table the source does not
// hold is storage.ErrTableNotFound on the requesting side.
func TestBackfillErrorsAreTyped(t *testing.T) {
	t.Parallel()
	s := startBackfillSource(t)
	_, err := s.fetch(t, BackfillClient{}, "missing")
	var be *BackfillError
	if !errors.Is(err, storage.ErrTableNotFound) || !errors.As(err, &be) || be.Code != BackfillCodeTableNotFound || be.Source != "a" {
		t.Fatalf("backfill of a missing table: %v", err)
	}
	nc, err := nats.Connect(s.nc.ConnectedUrl())
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	c := BackfillClient{Conn: nc, Source: "a", Timeout: 10 * time.Second}
	for _, req := range []BackfillRequest{
		{Table: "t", After: []byte("not an item")},
		{Table: "t", After: item.Item{"other": item.Str("x")}.AppendBinary(nil)},
	} {
		_, err := c.request(context.Background(), req)
		if !errors.Is(err, ErrBackfillBadRequest) || errors.Is(err, storage.ErrTableNotFound) {
			t.Errorf("request %+v: %v, want ErrBackfillBadRequest", req, err)
		}
	}
	if st := s.srv.Stats(); st.Failed != 3 || st.Pages != 0 {
		t.Fatalf("server stats %+v, want 3 failed", st)
	}
}

// TestBackfillCopiesTombstones: a page carries tombstones (New nil) with
// their versions, so the new replica refuses older writes of a deleted
// item.
func TestBackfillCopiesTombstones(t *testing.T) {
	t.Parallel()
	s := startBackfillSource(t)
	s.write(t, "x", item.Item{"pk": item.Str("x")})
	del := s.write(t, "x", nil)
	s.write(t, "y", item.Item{"pk": item.Str("y")})
	got, err := s.fetch(t, BackfillClient{}, "t")
	if err != nil {
		t.Fatal(err)
	}
	x := got["x"]
	if len(got) != 2 || x == nil || x.New != nil || !bytes.Equal(x.Version, del) || x.Origin != "a" || x.Kind != KindItem {
		t.Fatalf("backfill sent %d records, x = %+v; want x's tombstone with the delete's version", len(got), x)
	}
}

func TestBackfillPageCodec(t *testing.T) {
	changes := []*Change{
		{Kind: KindItem, Table: "t", Origin: "a", Version: []byte("v1"), Key: item.Item{"pk": item.Str("x")}, New: item.Item{"pk": item.Str("x")}},
		{Kind: KindItem, Table: "t", Origin: "a", Version: []byte("v2"), Key: item.Item{"pk": item.Str("y")}},
	}
	for _, p := range []BackfillPage{
		{Done: true},
		{Done: true, Changes: changes},
		{Changes: changes},
		{Part: &BackfillPart{Total: 10, Offset: 4, Version: []byte("v"), Data: []byte("abc")}},
	} {
		b := EncodeBackfillPage(p)
		got, err := DecodeBackfillPage(b)
		if err != nil {
			t.Fatalf("%+v: %v", p, err)
		}
		if fmt.Sprint(EncodeBackfillPage(got)) != fmt.Sprint(b) {
			t.Fatalf("%+v does not round-trip: %+v", p, got)
		}
		for i := range b { // truncations fail cleanly or decode a shorter page
			if _, err := DecodeBackfillPage(b[:i]); err != nil && !errors.Is(err, ErrMalformed) {
				t.Fatalf("truncated at %d: %v", i, err)
			}
		}
	}
	for _, b := range [][]byte{
		{4},                                // unknown flag
		{pagePart | pageDone, 10, 0, 0, 1}, // a done part
		{pagePart, 10, 10, 0, 1},           // offset past the total
		{pagePart, 2, 0, 0, 1, 2, 3},       // more bytes than the total
		{pagePart, 10, 0, 0},               // no bytes
	} {
		if _, err := DecodeBackfillPage(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%v: %v, want ErrMalformed", b, err)
		}
	}
}
