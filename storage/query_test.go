package storage

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

// sortKeysOf runs q and returns the sort keys it yields, as text.
func sortKeysOf(t *testing.T, s *Store, table string, q Query, limit int) []string {
	t.Helper()
	var got []string
	err := s.Query(context.Background(), table, q, func(it item.Item) bool {
		got = append(got, it["sk"].S)
		return limit <= 0 || len(got) < limit
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

func TestStoreQueryRangeOps(t *testing.T) {
	s, _ := openMem(t)
	type tc struct {
		name    string
		op      RangeOp
		a, b    string
		wantAsc string // comma-separated sort keys, ascending
	}
	suites := []struct {
		typ   item.Type
		keys  []string // in ascending order
		val   func(string) item.Value
		cases []tc
	}{
		{
			typ:  item.TypeN,
			keys: []string{"-100", "-2.5", "-2", "-0.5", "0", "0.25", "1", "1.5", "10", "1000"},
			val:  item.Num,
			cases: []tc{
				{"all", RangeAll, "", "", "-100,-2.5,-2,-0.5,0,0.25,1,1.5,10,1000"},
				{"eq", RangeEQ, "1.5", "", "1.5"},
				{"eq missing", RangeEQ, "3", "", ""},
				{"lt", RangeLT, "0", "", "-100,-2.5,-2,-0.5"},
				{"le", RangeLE, "0", "", "-100,-2.5,-2,-0.5,0"},
				{"gt", RangeGT, "1", "", "1.5,10,1000"},
				{"ge", RangeGE, "1", "", "1,1.5,10,1000"},
				{"between", RangeBetween, "-2.5", "1", "-2.5,-2,-0.5,0,0.25,1"},
				{"between empty", RangeBetween, "5", "1", ""},
			},
		},
		{
			typ:  item.TypeS,
			keys: []string{"a", "a\x00", "ab", "abc", "abd", "b", "ba", "c"},
			val:  item.Str,
			cases: []tc{
				{"eq", RangeEQ, "ab", "", "ab"},
				{"lt", RangeLT, "ab", "", "a,a\x00"},
				{"le", RangeLE, "ab", "", "a,a\x00,ab"},
				{"gt", RangeGT, "abd", "", "b,ba,c"},
				{"ge", RangeGE, "abd", "", "abd,b,ba,c"},
				{"between", RangeBetween, "a\x00", "b", "a\x00,ab,abc,abd,b"},
				{"begins_with a", RangeBeginsWith, "a", "", "a,a\x00,ab,abc,abd"},
				{"begins_with ab", RangeBeginsWith, "ab", "", "ab,abc,abd"},
				{"begins_with a0", RangeBeginsWith, "a\x00", "", "a\x00"},
				{"begins_with none", RangeBeginsWith, "z", "", ""},
			},
		},
		{
			typ:  item.TypeB,
			keys: []string{"\x00", "\x00\x00", "\x01", "\x01\xff", "\xff", "\xff\xff"},
			val:  func(s string) item.Value { return item.Bin([]byte(s)) },
			cases: []tc{
				{"lt", RangeLT, "\x01", "", "\x00,\x00\x00"},
				{"ge", RangeGE, "\x01\xff", "", "\x01\xff,\xff,\xff\xff"},
				{"begins_with ff", RangeBeginsWith, "\xff", "", "\xff,\xff\xff"},
				{"begins_with 00", RangeBeginsWith, "\x00", "", "\x00,\x00\x00"},
				{"between", RangeBetween, "\x00\x00", "\xff", "\x00\x00,\x01,\x01\xff,\xff"},
			},
		},
	}
	for _, suite := range suites {
		table := "q" + suite.typ.String()
		mustCreate(t, s, table, item.TypeS, suite.typ)
		// Insert in a scrambled order, plus a neighbouring partition.
		for i := range suite.keys {
			k := suite.keys[(i*7)%len(suite.keys)]
			put(t, s, table, item.Item{"pk": item.Str("p"), "sk": suite.val(k)})
			put(t, s, table, item.Item{"pk": item.Str("p2"), "sk": suite.val(k)})
		}
		// Deleted items are not returned.
		put(t, s, table, item.Item{"pk": item.Str("p"), "sk": suite.val("7777")})
		if _, err := s.Update(context.Background(), table, item.Item{"pk": item.Str("p"), "sk": suite.val("7777")}, deleteFn); err != nil {
			t.Fatal(err)
		}
		for _, c := range suite.cases {
			t.Run(table+"/"+c.name, func(t *testing.T) {
				q := Query{PartitionKey: item.Str("p"), Op: c.op}
				if c.op != RangeAll {
					q.A = suite.val(c.a)
				}
				if c.op == RangeBetween {
					q.B = suite.val(c.b)
				}
				want := splitKeys(c.wantAsc)
				got := sortKeysOf(t, s, table, q, 0)
				if !slices.Equal(got, want) {
					t.Fatalf("asc = %q, want %q", got, want)
				}
				q.Reverse = true
				slices.Reverse(want)
				if got := sortKeysOf(t, s, table, q, 0); !slices.Equal(got, want) {
					t.Fatalf("desc = %q, want %q", got, want)
				}
				// Page through with ExclusiveStart, two at a time, both directions.
				for _, rev := range []bool{false, true} {
					q.Reverse = rev
					q.ExclusiveStart = nil
					var paged []string
					for {
						page := sortKeysOf(t, s, table, q, 2)
						paged = append(paged, page...)
						if len(page) < 2 {
							break
						}
						q.ExclusiveStart = item.Item{"pk": item.Str("p"), "sk": suite.val(page[len(page)-1])}
					}
					w := splitKeys(c.wantAsc)
					if rev {
						slices.Reverse(w)
					}
					if !slices.Equal(paged, w) {
						t.Fatalf("paged (reverse=%v) = %q, want %q", rev, paged, w)
					}
				}
			})
		}
	}
}

func splitKeys(s string) []string {
	if s == "" {
		return nil
	}
	return strings.Split(s, ",")
}

func TestStoreQueryNumberCanonical(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "t", item.TypeN, item.TypeN)
	for i := range 30 {
		put(t, s, "t", item.Item{"pk": item.Num("1"), "sk": item.Num(fmt.Sprintf("%d.5e-3", i-15))})
	}
	got := sortKeysOf(t, s, "t", Query{PartitionKey: item.Num("1.0"), Op: RangeGT, A: item.Num("-0.0005")}, 0)
	if len(got) != 15 || got[0] != "0.0005" {
		t.Fatalf("got %q", got)
	}
}

func TestStoreQueryErrors(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "hash", item.TypeS, 0)
	mustCreate(t, s, "num", item.TypeS, item.TypeN)
	ctx := context.Background()
	noop := func(item.Item) bool { return true }
	cases := []struct {
		table string
		q     Query
		want  *SchemaError
	}{
		{"hash", Query{PartitionKey: item.Num("1")}, &SchemaError{Problem: KeyConditionType}},
		{"hash", Query{PartitionKey: item.Str("a"), Op: RangeEQ, A: item.Str("x")}, &SchemaError{Problem: KeyConditionUnsupported}},
		{"num", Query{PartitionKey: item.Str("a"), Op: RangeEQ, A: item.Str("x")}, &SchemaError{Problem: KeyConditionType}},
		{"num", Query{PartitionKey: item.Str("a"), Op: RangeBeginsWith, A: item.Num("1")}, &SchemaError{Problem: KeyConditionUnsupported}},
		{"num", Query{PartitionKey: item.Str("")}, &SchemaError{Problem: KeyEmpty, Attr: "pk", Got: item.TypeS}},
	}
	for i, c := range cases {
		t.Run(fmt.Sprint(i), func(t *testing.T) {
			checkSchema(t, s.Query(ctx, c.table, c.q, noop), c.want)
		})
	}
	if err := s.Query(ctx, "nope", Query{PartitionKey: item.Str("a")}, noop); !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("err = %v", err)
	}
}
