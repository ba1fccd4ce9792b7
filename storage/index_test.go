package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
)

// indexedDef is a table (pk S, sk S) with a KEYS_ONLY GSI on color/n, an
// INCLUDE LSI on n and an ALL GSI on owner.
func indexedDef(name string) TableDef {
	return TableDef{
		Name:         name,
		PartitionKey: KeyAttr{Name: "pk", Type: item.TypeS},
		SortKey:      &KeyAttr{Name: "sk", Type: item.TypeS},
		CreatedAt:    1,
		Indexes: []IndexDef{
			{Name: "byColor", Kind: IndexGlobal, PartitionKey: KeyAttr{Name: "color", Type: item.TypeS},
				SortKey: &KeyAttr{Name: "n", Type: item.TypeN}, Projection: ProjectKeysOnly},
			{Name: "byN", Kind: IndexLocal, PartitionKey: KeyAttr{Name: "pk", Type: item.TypeS},
				SortKey: &KeyAttr{Name: "n", Type: item.TypeN}, Projection: ProjectInclude, NonKeyAttributes: []string{"x"}},
			{Name: "byOwner", Kind: IndexGlobal, PartitionKey: KeyAttr{Name: "owner", Type: item.TypeS}, Projection: ProjectAll},
		},
	}
}

// dumpIndex returns every entry of an index as JSON, in scan order.
func dumpIndex(t testing.TB, s *Store, table, index string) []string {
	t.Helper()
	var out []string
	err := s.ScanIndex(context.Background(), table, index, Scan{}, func(it item.Item) bool {
		out = append(out, string(it.AppendJSON(nil)))
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// queryIndex returns the JSON of the entries a query of an index yields.
func queryIndex(t testing.TB, s *Store, table, index string, q Query) []string {
	t.Helper()
	var out []string
	err := s.QueryIndex(context.Background(), table, index, q, func(it item.Item) bool {
		out = append(out, string(it.AppendJSON(nil)))
		return true
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func mustIndexStats(t testing.TB, s *Store, table, index string) TableStats {
	t.Helper()
	st, err := s.IndexStats(table, index)
	if err != nil {
		t.Fatal(err)
	}
	return st
}

func TestIndexUpkeep(t *testing.T) {
	t.Parallel()
	s, _ := openMem(t)
	ctx := context.Background()
	def, err := s.CreateTable(ctx, indexedDef("t"))
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range def.Indexes {
		if x.ID == 0 || x.ID == def.ID || x.Status != IndexActive {
			t.Fatalf("index %+v: want an ID of its own and ACTIVE", x)
		}
	}
	put(t, s, "t", item.Item{"pk": item.Str("a"), "sk": item.Str("1"), "color": item.Str("red"), "n": item.Num("5"), "x": item.Str("X"), "y": item.Str("Y")})
	put(t, s, "t", item.Item{"pk": item.Str("a"), "sk": item.Str("2"), "color": item.Str("red"), "n": item.Num("3"), "owner": item.Str("ann")})
	// Sparse: no color; color of the wrong type; empty owner.
	put(t, s, "t", item.Item{"pk": item.Str("b"), "sk": item.Str("1"), "n": item.Num("1")})
	put(t, s, "t", item.Item{"pk": item.Str("b"), "sk": item.Str("2"), "color": item.Num("7"), "n": item.Num("2"), "owner": item.Str("")})

	red := Query{PartitionKey: item.Str("red")}
	got := queryIndex(t, s, "t", "byColor", red)
	want := []string{
		`{"color":{"S":"red"},"n":{"N":"3"},"pk":{"S":"a"},"sk":{"S":"2"}}`,
		`{"color":{"S":"red"},"n":{"N":"5"},"pk":{"S":"a"},"sk":{"S":"1"}}`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("KEYS_ONLY GSI query:\n got %v\nwant %v", got, want)
	}
	if got := queryIndex(t, s, "t", "byColor", Query{PartitionKey: item.Str("red"), Op: RangeGT, A: item.Num("3")}); len(got) != 1 || !strings.Contains(got[0], `"5"`) {
		t.Fatalf("n > 3: %v", got)
	}
	if got := queryIndex(t, s, "t", "byColor", Query{PartitionKey: item.Str("red"), Op: RangeEQ, A: item.Num("3")}); len(got) != 1 {
		t.Fatalf("n = 3: %v", got)
	}
	if got := queryIndex(t, s, "t", "byColor", Query{PartitionKey: item.Str("red"), Reverse: true}); !slices.Equal(got, []string{want[1], want[0]}) {
		t.Fatalf("reverse: %v", got)
	}
	got = queryIndex(t, s, "t", "byN", Query{PartitionKey: item.Str("a")})
	want = []string{
		`{"n":{"N":"3"},"pk":{"S":"a"},"sk":{"S":"2"}}`,
		`{"n":{"N":"5"},"pk":{"S":"a"},"sk":{"S":"1"},"x":{"S":"X"}}`,
	}
	if !slices.Equal(got, want) {
		t.Fatalf("INCLUDE LSI query:\n got %v\nwant %v", got, want)
	}
	if got := queryIndex(t, s, "t", "byOwner", Query{PartitionKey: item.Str("ann")}); len(got) != 1 || !strings.Contains(got[0], `"n":{"N":"3"}`) {
		t.Fatalf("ALL GSI: %v", got)
	}
	if n := len(dumpIndex(t, s, "t", "byColor")); n != 2 {
		t.Fatalf("byColor has %d entries, want 2 (sparse)", n)
	}
	if st := mustIndexStats(t, s, "t", "byColor"); st.ItemCount != 2 || st.SizeBytes <= 0 {
		t.Fatalf("byColor stats %+v", st)
	}

	// Paging resumes after the index key and the table key.
	page := queryIndex(t, s, "t", "byColor", Query{PartitionKey: item.Str("red"),
		ExclusiveStart: item.Item{"color": item.Str("red"), "n": item.Num("3"), "pk": item.Str("a"), "sk": item.Str("2")}})
	if len(page) != 1 || !strings.Contains(page[0], `"5"`) {
		t.Fatalf("resumed page: %v", page)
	}
	err = s.QueryIndex(ctx, "t", "byColor", Query{PartitionKey: item.Str("red"), ExclusiveStart: item.Item{"pk": item.Str("a"), "sk": item.Str("2")}},
		func(item.Item) bool { return true })
	checkSchema(t, err, &SchemaError{Problem: KeySchema})

	// Update moves the entry; delete removes it.
	put(t, s, "t", item.Item{"pk": item.Str("a"), "sk": item.Str("1"), "color": item.Str("blue"), "n": item.Num("5")})
	if got := queryIndex(t, s, "t", "byColor", red); len(got) != 1 {
		t.Fatalf("red after move: %v", got)
	}
	if got := queryIndex(t, s, "t", "byColor", Query{PartitionKey: item.Str("blue")}); len(got) != 1 {
		t.Fatalf("blue after move: %v", got)
	}
	if got := queryIndex(t, s, "t", "byN", Query{PartitionKey: item.Str("a"), Op: RangeEQ, A: item.Num("5")}); len(got) != 1 || strings.Contains(got[0], `"x"`) {
		t.Fatalf("LSI after update (x removed): %v", got)
	}
	if _, err := s.Update(ctx, "t", item.Item{"pk": item.Str("a"), "sk": item.Str("2")}, deleteFn); err != nil {
		t.Fatal(err)
	}
	if got := queryIndex(t, s, "t", "byColor", red); len(got) != 0 {
		t.Fatalf("red after delete: %v", got)
	}
	if got := queryIndex(t, s, "t", "byOwner", Query{PartitionKey: item.Str("ann")}); len(got) != 0 {
		t.Fatalf("owner after delete: %v", got)
	}
	if st := mustIndexStats(t, s, "t", "byColor"); st.ItemCount != 1 {
		t.Fatalf("byColor stats after delete %+v", st)
	}
	if _, err := s.IndexStats("t", "nope"); !errors.Is(err, ErrIndexNotFound) {
		t.Fatalf("unknown index: %v", err)
	}

	// Dropping the index deletes its entries; DeleteTable deletes the rest.
	if _, err := s.UpdateTableFrom(ctx, "t", "r1", func(d *TableDef) error {
		d.Indexes = d.Indexes[1:]
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	lo, hi := indexBounds(def.Indexes[0].ID)
	if n := countKeys(t, s, lo, hi); n != 0 {
		t.Fatalf("%d entries left in a dropped index", n)
	}
	if _, err := s.DeleteTable(ctx, "t"); err != nil {
		t.Fatal(err)
	}
	lo, _ = indexBounds(def.Indexes[1].ID)
	_, hi = indexBounds(def.Indexes[2].ID)
	if n := countKeys(t, s, lo, hi); n != 0 {
		t.Fatalf("%d entries left after DeleteTable", n)
	}
}

func countKeys(t testing.TB, s *Store, lo, hi []byte) int {
	t.Helper()
	n := 0
	if err := s.scanPrefix(lo[:1], func(k, _ []byte) error {
		if string(k) >= string(lo) && string(k) < string(hi) {
			n++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	return n
}

func waitActive(t testing.TB, s *Store, table, index string) {
	t.Helper()
	eventually(t, 30*time.Second, func() error {
		def, err := s.Table(table)
		if err != nil {
			return err
		}
		x, ok := def.Index(index)
		if !ok || x.Status != IndexActive {
			return fmt.Errorf("index %s: %+v", index, x)
		}
		return nil
	})
}

// addIndexes gives a table the indexes of indexedDef, as UpdateTable does.
func addIndexes(t testing.TB, s *Store, table string) TableDef {
	t.Helper()
	def, err := s.UpdateTableFrom(context.Background(), table, "r1", func(d *TableDef) error {
		d.Indexes = indexedDef(table).Indexes
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return def
}

func testItem(i int, gen int) item.Item {
	it := item.Item{"pk": item.Str(fmt.Sprintf("p%d", i%17)), "sk": item.Str(fmt.Sprintf("s%05d", i)),
		"n": item.Num(fmt.Sprint(i * gen % 100)), "x": item.Num(fmt.Sprint(gen))}
	if (i+gen)%3 != 0 {
		it["color"] = item.Str(fmt.Sprintf("c%d", (i+gen)%5))
	}
	if i%2 == 0 {
		it["owner"] = item.Str(fmt.Sprintf("o%d", (i*gen)%7))
	}
	return it
}

func TestIndexBackfillEqualsFromScratch(t *testing.T) {
	t.Parallel()
	s, _ := openMem(t)
	ctx := context.Background()
	if _, err := s.CreateTable(ctx, indexedDef("scratch")); err != nil {
		t.Fatal(err)
	}
	mustCreate(t, s, "later", item.TypeS, item.TypeS)
	const n = 700
	for i := range n {
		put(t, s, "scratch", testItem(i, 1))
		put(t, s, "later", testItem(i, 1))
	}
	def := addIndexes(t, s, "later")
	for _, x := range def.Indexes {
		if x.Status != IndexCreating {
			t.Fatalf("index added to a table with items: status %q, want CREATING", x.Status)
		}
	}
	for _, x := range def.Indexes {
		waitActive(t, s, "later", x.Name)
		a, b := dumpIndex(t, s, "scratch", x.Name), dumpIndex(t, s, "later", x.Name)
		if !slices.Equal(a, b) {
			t.Fatalf("index %s: backfilled (%d entries) differs from built from scratch (%d)", x.Name, len(b), len(a))
		}
		if sa, sb := mustIndexStats(t, s, "scratch", x.Name), mustIndexStats(t, s, "later", x.Name); sa != sb || sa.ItemCount != int64(len(a)) {
			t.Fatalf("index %s stats: scratch %+v later %+v entries %d", x.Name, sa, sb, len(a))
		}
	}
}

func TestIndexBackfillConcurrentWrites(t *testing.T) {
	t.Parallel()
	s, _ := openMem(t)
	ctx := context.Background()
	mustCreate(t, s, "t", item.TypeS, item.TypeS)
	const n = 1500
	writes := make([]Write, 0, 100)
	for i := range n {
		it := testItem(i, 1)
		key, _ := KeyOf(TableDef{PartitionKey: KeyAttr{"pk", item.TypeS}, SortKey: &KeyAttr{"sk", item.TypeS}}, it)
		writes = append(writes, Write{Table: "t", Key: key, Fn: putFn(it)})
		if len(writes) == cap(writes) || i == n-1 {
			if _, err := s.UpdateMany(ctx, writes); err != nil {
				t.Fatal(err)
			}
			writes = writes[:0]
		}
	}
	// Writers rewrite and delete items (changing index keys) while the
	// indexes are backfilled.
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for gen := 2; ; gen++ {
				for i := w; i < n; i += 4 * 7 {
					select {
					case <-stop:
						return
					default:
					}
					it := testItem(i+gen%7*4, gen)
					key := item.Item{"pk": it["pk"], "sk": it["sk"]}
					fn := putFn(it)
					if gen%5 == 0 {
						fn = deleteFn
					}
					if _, err := s.Update(ctx, "t", key, fn); err != nil {
						t.Error(err)
						return
					}
				}
			}
		})
	}
	def := addIndexes(t, s, "t")
	for _, x := range def.Indexes {
		waitActive(t, s, "t", x.Name)
	}
	close(stop)
	wg.Wait()

	// Build the same indexes from scratch from the table's final items.
	if _, err := s.CreateTable(ctx, indexedDef("check")); err != nil {
		t.Fatal(err)
	}
	var all []item.Item
	if err := s.Scan(ctx, "t", Scan{}, func(it item.Item) bool { all = append(all, it); return true }); err != nil {
		t.Fatal(err)
	}
	for _, it := range all {
		put(t, s, "check", it)
	}
	for _, x := range def.Indexes {
		a, b := dumpIndex(t, s, "check", x.Name), dumpIndex(t, s, "t", x.Name)
		if !slices.Equal(a, b) {
			t.Fatalf("index %s after concurrent backfill: %d entries, from scratch %d", x.Name, len(b), len(a))
		}
		if st := mustIndexStats(t, s, "t", x.Name); st.ItemCount != int64(len(a)) || st != mustIndexStats(t, s, "check", x.Name) {
			t.Fatalf("index %s stats %+v, want %d entries", x.Name, st, len(a))
		}
	}
}

func TestIndexBackfillResumesAfterReopen(t *testing.T) {
	t.Parallel()
	s, fs := openMem(t)
	mustCreate(t, s, "t", item.TypeS, item.TypeS)
	for i := range 300 {
		put(t, s, "t", testItem(i, 1))
	}
	addIndexes(t, s, "t")
	if err := s.Close(); err != nil { // likely mid-backfill
		t.Fatal(err)
	}
	s2, err := Open("db", Options{FS: fs, Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer s2.Close()
	waitActive(t, s2, "t", "byOwner")
	want := 0
	for i := range 300 {
		if _, ok := testItem(i, 1)["owner"]; ok {
			want++
		}
	}
	if got := len(dumpIndex(t, s2, "t", "byOwner")); got != want {
		t.Fatalf("byOwner has %d entries after reopen, want %d", got, want)
	}
	if st := mustIndexStats(t, s2, "t", "byOwner"); st.ItemCount != int64(want) {
		t.Fatalf("stats after reopen %+v, want %d", st, want)
	}
}

func TestIndexDefinitionValidated(t *testing.T) {
	t.Parallel()
	s, _ := openMem(t)
	def := indexedDef("t")
	def.SortKey = nil // an LSI needs a table sort key
	if _, err := s.CreateTable(context.Background(), def); err == nil {
		t.Fatal("CreateTable accepted an LSI on a table without a sort key")
	}
	def = indexedDef("t")
	def.Indexes[1].Name = def.Indexes[0].Name
	if _, err := s.CreateTable(context.Background(), def); err == nil {
		t.Fatal("CreateTable accepted duplicate index names")
	}
}
