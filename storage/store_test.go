package storage

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/storage/item"
)

var testVersion atomic.Uint64

// nextVersion returns increasing opaque versions.
func nextVersion() []byte {
	return fmt.Appendf(nil, "v%016x", testVersion.Add(1))
}

// quietLogger keeps Pebble's informational logs out of test output.
var quietLogger = slog.New(slog.NewTextHandler(io.Discard, nil))

func openMem(t testing.TB) (*Store, vfs.FS) {
	t.Helper()
	fs := vfs.NewMem()
	s, err := Open("db", Options{FS: fs, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	return s, fs
}

func mustCreate(t testing.TB, s *Store, name string, pk item.Type, sk item.Type) TableDef {
	t.Helper()
	def := TableDef{Name: name, PartitionKey: KeyAttr{Name: "pk", Type: pk}, CreatedAt: 1}
	if sk != 0 {
		def.SortKey = &KeyAttr{Name: "sk", Type: sk}
	}
	def, err := s.CreateTable(context.Background(), def)
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func putFn(it item.Item) UpdateFunc {
	return func(item.Item, Meta) (Mutation, error) {
		return Mutation{Put: it, Version: nextVersion(), Origin: "r1"}, nil
	}
}

func deleteFn(item.Item, Meta) (Mutation, error) {
	return Mutation{Delete: true, Version: nextVersion(), Origin: "r1"}, nil
}

func put(t testing.TB, s *Store, table string, it item.Item) item.Item {
	t.Helper()
	def, err := s.Table(table)
	if err != nil {
		t.Fatal(err)
	}
	key, err := KeyOf(def, it)
	if err != nil {
		t.Fatal(err)
	}
	old, err := s.Update(context.Background(), table, key, putFn(it))
	if err != nil {
		t.Fatal(err)
	}
	return old
}

func get(t testing.TB, s *Store, table string, key item.Item) item.Item {
	t.Helper()
	it, err := s.Get(context.Background(), table, key)
	if err != nil {
		t.Fatal(err)
	}
	return it
}

func TestStoreTableCRUD(t *testing.T) {
	s, _ := openMem(t)
	ctx := context.Background()
	a := mustCreate(t, s, "a", item.TypeS, 0)
	b := mustCreate(t, s, "b", item.TypeN, item.TypeS)
	if a.ID == 0 || b.ID == a.ID {
		t.Fatalf("ids %d %d", a.ID, b.ID)
	}
	if _, err := s.CreateTable(ctx, TableDef{Name: "a", PartitionKey: KeyAttr{Name: "x", Type: item.TypeS}}); !errors.Is(err, ErrTableExists) {
		t.Fatalf("dup create err = %v", err)
	}
	if _, err := s.CreateTable(ctx, TableDef{Name: "bad", PartitionKey: KeyAttr{Name: "x", Type: item.TypeBOOL}}); err == nil {
		t.Fatal("BOOL key accepted")
	}
	got, err := s.Table("b")
	if err != nil || got.SortKey == nil || got.SortKey.Type != item.TypeS || got.ID != b.ID {
		t.Fatalf("Table(b) = %+v, %v", got, err)
	}
	got.SortKey.Name = "changed" // must not change the cache
	if again, _ := s.Table("b"); again.SortKey.Name != "sk" {
		t.Fatal("Table returned a shared SortKey")
	}
	if _, err := s.Table("zzz"); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("missing table err = %v", err)
	}
	up, err := s.UpdateTableMeta(ctx, "a", func(m []byte) ([]byte, error) { return append(m, "hello"...), nil })
	if err != nil || string(up.Meta) != "hello" {
		t.Fatalf("UpdateTableMeta = %+v, %v", up, err)
	}
	boom := errors.New("boom")
	if _, err := s.UpdateTableMeta(ctx, "a", func([]byte) ([]byte, error) { return nil, boom }); !errors.Is(err, boom) {
		t.Fatalf("meta fn error = %v", err)
	}
	put(t, s, "a", item.Item{"pk": item.Str("x"), "v": item.Num("1")})
	del, err := s.DeleteTable(ctx, "a")
	if err != nil || del.ID != a.ID {
		t.Fatalf("DeleteTable = %+v, %v", del, err)
	}
	if _, err := s.Table("a"); !errors.Is(err, ErrTableNotFound) {
		t.Fatal("deleted table still there")
	}
	if _, err := s.Stats("a"); !errors.Is(err, ErrTableNotFound) {
		t.Fatal("deleted table has stats")
	}
	// A recreated table gets a new ID and sees no old items.
	a2 := mustCreate(t, s, "a", item.TypeS, 0)
	if a2.ID <= b.ID {
		t.Fatalf("table ID reused: %d", a2.ID)
	}
	if it := get(t, s, "a", item.Item{"pk": item.Str("x")}); it != nil {
		t.Fatalf("old item visible in recreated table: %v", it)
	}
	if st, _ := s.Stats("a"); st.ItemCount != 0 {
		t.Fatalf("recreated table stats %+v", st)
	}
}

func TestStoreListTablesPaging(t *testing.T) {
	s, _ := openMem(t)
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("t%02d", i)
		want = append(want, name)
		mustCreate(t, s, name, item.TypeS, 0)
	}
	var got []string
	after := ""
	for {
		names, more, err := s.ListTables(after, 3)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, names...)
		if !more {
			break
		}
		after = names[len(names)-1]
	}
	if strings.Join(got, ",") != strings.Join(want, ",") {
		t.Fatalf("paged = %v, want %v", got, want)
	}
	if names, more, _ := s.ListTables("t05", 0); len(names) != 1 || more {
		t.Fatalf("ListTables(t05) = %v %v", names, more)
	}
}

func TestStorePutGetDelete(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, item.TypeN)
	ctx := context.Background()
	key := item.Item{"pk": item.Str("a"), "sk": item.Num("1")}
	it := item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "x": item.Str("hello"), "m": {Type: item.TypeM, M: map[string]item.Value{"b": item.BoolValue(true)}}}
	if old := put(t, s, "t", it); old != nil {
		t.Fatalf("first put old = %v", old)
	}
	if got := get(t, s, "t", key); !item.EqualItems(got, it) {
		t.Fatalf("get = %v, want %v", got, it)
	}
	it2 := item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "x": item.Str("bye")}
	if old := put(t, s, "t", it2); !item.EqualItems(old, it) {
		t.Fatalf("second put old = %v", old)
	}
	var seen Meta
	old, err := s.Update(ctx, "t", key, func(cur item.Item, m Meta) (Mutation, error) {
		seen = m
		return Mutation{Delete: true, Version: nextVersion()}, nil
	})
	if err != nil || !item.EqualItems(old, it2) || seen.Tombstone || len(seen.Version) == 0 {
		t.Fatalf("delete old = %v err %v meta %+v", old, err, seen)
	}
	if got := get(t, s, "t", key); got != nil {
		t.Fatalf("deleted item visible: %v", got)
	}
	// The tombstone keeps its version for the next writer's decision.
	_, err = s.Update(ctx, "t", key, func(cur item.Item, m Meta) (Mutation, error) {
		if cur != nil || !m.Tombstone || len(m.Version) == 0 {
			t.Errorf("after delete cur=%v meta=%+v", cur, m)
		}
		return Mutation{}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if st, _ := s.Stats("t"); st.ItemCount != 0 || st.SizeBytes != 0 || st.Digest != ([16]byte{}) {
		t.Fatalf("stats after delete %+v", st)
	}
	if _, err := s.Get(ctx, "nope", key); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("Get unknown table err = %v", err)
	}
}

func TestStoreUpdateFnErrorWritesNothing(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	ctx := context.Background()
	key := item.Item{"pk": item.Str("a")}
	boom := errors.New("condition failed")
	if _, err := s.Update(ctx, "t", key, func(item.Item, Meta) (Mutation, error) {
		return Mutation{Put: item.Item{"pk": item.Str("a")}, Version: []byte("v")}, boom
	}); err != boom {
		t.Fatalf("err = %v, want the fn's error unchanged", err)
	}
	if get(t, s, "t", key) != nil || s.LastSeq() != 1 { // 1: the CreateTable record
		t.Fatal("failed update wrote something")
	}
	bad := []struct {
		name string
		m    Mutation
	}{
		{"no version", Mutation{Put: key}},
		{"put and delete", Mutation{Put: key, Delete: true, Version: []byte("v")}},
		{"other key", Mutation{Put: item.Item{"pk": item.Str("b")}, Version: []byte("v")}},
	}
	for _, c := range bad {
		t.Run(c.name, func(t *testing.T) {
			if _, err := s.Update(ctx, "t", key, func(item.Item, Meta) (Mutation, error) { return c.m, nil }); !errors.Is(err, ErrBadMutation) {
				t.Fatalf("err = %v", err)
			}
		})
	}
	// A Put missing its key attribute is the caller's validation problem.
	_, err := s.Update(ctx, "t", key, func(item.Item, Meta) (Mutation, error) {
		return Mutation{Put: item.Item{"x": item.Str("1")}, Version: []byte("v")}, nil
	})
	var se *SchemaError
	if !errors.As(err, &se) || se.Problem != KeyMissing {
		t.Fatalf("err = %v", err)
	}
}

func TestStoreUpdateManyAtomic(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "a", item.TypeS, 0)
	mustCreate(t, s, "b", item.TypeN, 0)
	ctx := context.Background()
	ka, kb := item.Item{"pk": item.Str("x")}, item.Item{"pk": item.Num("7")}
	boom := errors.New("boom")
	_, err := s.UpdateMany(ctx, []Write{
		{Table: "a", Key: ka, Fn: putFn(item.Item{"pk": item.Str("x")})},
		{Table: "b", Key: kb, Fn: func(item.Item, Meta) (Mutation, error) { return Mutation{}, boom }},
	})
	var we *WriteError
	if !errors.As(err, &we) || we.Index != 1 || !errors.Is(err, boom) {
		t.Fatalf("err = %v", err)
	}
	if get(t, s, "a", ka) != nil {
		t.Fatal("partial UpdateMany visible")
	}
	before := s.LastSeq()
	olds, err := s.UpdateMany(ctx, []Write{
		{Table: "b", Key: kb, Fn: putFn(item.Item{"pk": item.Num("7"), "v": item.Str("b")})},
		{Table: "a", Key: ka, Fn: putFn(item.Item{"pk": item.Str("x"), "v": item.Str("a")})},
	})
	if err != nil || len(olds) != 2 || olds[0] != nil || olds[1] != nil {
		t.Fatalf("UpdateMany = %v, %v", olds, err)
	}
	if get(t, s, "a", ka)["v"].S != "a" || get(t, s, "b", kb)["v"].S != "b" {
		t.Fatal("UpdateMany items missing")
	}
	if s.LastSeq() != before+2 {
		t.Fatalf("seq %d -> %d", before, s.LastSeq())
	}
	_, err = s.UpdateMany(ctx, []Write{
		{Table: "a", Key: ka, Fn: deleteFn},
		{Table: "a", Key: item.Item{"pk": item.Str("x")}, Fn: deleteFn},
	})
	if !errors.As(err, &we) || we.Index != 1 {
		t.Fatalf("duplicate keys err = %v", err)
	}
	_, err = s.UpdateMany(ctx, []Write{{Table: "nope", Key: ka, Fn: deleteFn}})
	if !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("unknown table err = %v", err)
	}
}

func TestStoreValidateKey(t *testing.T) {
	def := TableDef{Name: "t", PartitionKey: KeyAttr{Name: "id", Type: item.TypeS}, SortKey: &KeyAttr{Name: "r", Type: item.TypeB}}
	cases := []struct {
		name string
		key  item.Item
		want *SchemaError
	}{
		{"ok", item.Item{"id": item.Str("a"), "r": item.Bin([]byte{1})}, nil},
		{"missing", item.Item{"id": item.Str("a")}, &SchemaError{Problem: KeySchema}},
		{"extra", item.Item{"id": item.Str("a"), "r": item.Bin([]byte{1}), "x": item.Str("")}, &SchemaError{Problem: KeySchema}},
		{"type", item.Item{"id": item.Num("1"), "r": item.Bin([]byte{1})}, &SchemaError{Problem: KeySchema}},
		{"empty string", item.Item{"id": item.Str(""), "r": item.Bin([]byte{1})}, &SchemaError{Problem: KeyEmpty, Attr: "id", Got: item.TypeS}},
		{"empty binary", item.Item{"id": item.Str("a"), "r": item.Bin(nil)}, &SchemaError{Problem: KeyEmpty, Attr: "r", Got: item.TypeB}},
		{"big hash", item.Item{"id": item.Str(strings.Repeat("x", 2049)), "r": item.Bin([]byte{1})}, &SchemaError{Problem: KeyPartitionSize, Attr: "id"}},
		{"max hash", item.Item{"id": item.Str(strings.Repeat("x", 2048)), "r": item.Bin([]byte{1})}, nil},
		{"big range", item.Item{"id": item.Str("a"), "r": item.Bin(make([]byte, 1025))}, &SchemaError{Problem: KeySortSize, Attr: "r"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := ValidateKey(def, c.key)
			checkSchema(t, err, c.want)
		})
	}
	kcases := []struct {
		name string
		it   item.Item
		want *SchemaError
	}{
		{"ok", item.Item{"id": item.Str("a"), "r": item.Bin([]byte{1}), "x": item.Num("1")}, nil},
		{"missing", item.Item{"r": item.Bin([]byte{1})}, &SchemaError{Problem: KeyMissing, Attr: "id"}},
		{"type", item.Item{"id": item.Num("1"), "r": item.Bin([]byte{1})}, &SchemaError{Problem: KeyType, Attr: "id", Want: item.TypeS, Got: item.TypeN}},
		{"empty", item.Item{"id": item.Str(""), "r": item.Bin([]byte{1})}, &SchemaError{Problem: KeyEmpty, Attr: "id", Got: item.TypeS}},
	}
	for _, c := range kcases {
		t.Run("KeyOf/"+c.name, func(t *testing.T) {
			key, err := KeyOf(def, c.it)
			checkSchema(t, err, c.want)
			if err == nil && len(key) != 2 {
				t.Fatalf("key = %v", key)
			}
		})
	}
}

// checkSchema checks that err is the *SchemaError want (nil: no error).
func checkSchema(t *testing.T, err error, want *SchemaError) {
	t.Helper()
	if want == nil {
		if err != nil {
			t.Fatalf("unexpected error %v", err)
		}
		return
	}
	var se *SchemaError
	if !errors.As(err, &se) || *se != *want {
		t.Fatalf("err = %v, want %+v", err, *want)
	}
}

func TestStoreReopenKeepsEverything(t *testing.T) {
	dir := t.TempDir()
	s, err := Open(dir, Options{Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	def := mustCreate(t, s, "t", item.TypeS, 0)
	mustCreate(t, s, "gone", item.TypeS, 0)
	if _, err := s.DeleteTable(context.Background(), "gone"); err != nil {
		t.Fatal(err)
	}
	for i := range 20 {
		put(t, s, "t", item.Item{"pk": item.Str(fmt.Sprint(i)), "v": item.Num(fmt.Sprint(i))})
	}
	stats, _ := s.Stats("t")
	seq := s.LastSeq()
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if err := s.Close(); !errors.Is(err, ErrClosed) {
		t.Fatalf("second Close = %v", err)
	}
	if _, err := s.Get(context.Background(), "t", item.Item{"pk": item.Str("1")}); !errors.Is(err, ErrClosed) {
		t.Fatalf("Get after Close = %v", err)
	}

	s, err = Open(dir, Options{Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	if got, err := s.Table("t"); err != nil || got.ID != def.ID {
		t.Fatalf("table after reopen %+v %v", got, err)
	}
	if st, _ := s.Stats("t"); st != stats {
		t.Fatalf("stats after reopen %+v, want %+v", st, stats)
	}
	if s.LastSeq() != seq {
		t.Fatalf("seq after reopen %d want %d", s.LastSeq(), seq)
	}
	if got := get(t, s, "t", item.Item{"pk": item.Str("7")}); got["v"].S != "7" {
		t.Fatalf("item after reopen %v", got)
	}
	next := mustCreate(t, s, "new", item.TypeS, 0)
	if next.ID <= def.ID+1 {
		t.Fatalf("table ID %d reused after reopen", next.ID)
	}
	put(t, s, "t", item.Item{"pk": item.Str("more")})
	if s.LastSeq() != seq+2 { // the CreateTable of "new", then the put
		t.Fatalf("seq continues at %d, want %d", s.LastSeq(), seq+2)
	}
}

// TestStoreConcurrentCounter increments one counter from many goroutines
// by read-modify-write; the per-key lock must lose nothing.
func TestStoreConcurrentCounter(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeS, 0)
	key := item.Item{"pk": item.Str("counter")}
	const workers, per = 16, 25
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for range per {
				_, err := s.Update(context.Background(), "t", key, func(cur item.Item, _ Meta) (Mutation, error) {
					n := "0"
					if cur != nil {
						n = cur["n"].S
					}
					n, err := item.AddNumbers(n, "1")
					if err != nil {
						return Mutation{}, err
					}
					return Mutation{Put: item.Item{"pk": item.Str("counter"), "n": item.Num(n)}, Version: nextVersion()}, nil
				})
				if err != nil {
					t.Error(err)
					return
				}
			}
		})
	}
	wg.Wait()
	if got := get(t, s, "t", key)["n"].S; got != fmt.Sprint(workers*per) {
		t.Fatalf("counter = %s, want %d", got, workers*per)
	}
}

func TestStoreCloseNoLeaks(t *testing.T) {
	before := runtime.NumGoroutine()
	s, err := Open("db", Options{FS: vfs.NewMem(), Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "t", item.TypeS, 0)
	put(t, s, "t", item.Item{"pk": item.Str("a")})
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Update(context.Background(), "t", item.Item{"pk": item.Str("a")}, deleteFn); !errors.Is(err, ErrClosed) {
		t.Fatalf("Update after Close = %v", err)
	}
	eventually(t, 5*time.Second, func() error {
		if n := runtime.NumGoroutine(); n > before {
			return fmt.Errorf("%d goroutines, %d before Open", n, before)
		}
		return nil
	})
}

// eventually polls f until it returns nil or the deadline passes.
func eventually(t testing.TB, d time.Duration, f func() error) {
	t.Helper()
	deadline := time.Now().Add(d)
	for {
		err := f()
		if err == nil {
			return
		}
		if time.Now().After(deadline) {
			t.Fatal(err)
		}
		runtime.Gosched()
		time.Sleep(10 * time.Millisecond)
	}
}
