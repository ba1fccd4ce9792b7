package storage

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func TestStoreGetManyBasics(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "h", item.TypeS, 0)
	mustCreate(t, s, "r", item.TypeS, item.TypeN)
	put(t, s, "h", item.Item{"pk": item.Str("a"), "v": item.Str("1")})
	put(t, s, "h", item.Item{"pk": item.Str("gone")})
	put(t, s, "r", item.Item{"pk": item.Str("a"), "sk": item.Num("1"), "v": item.Str("r")})
	if _, err := s.Update(context.Background(), "h", item.Item{"pk": item.Str("gone")}, deleteFn); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	got, err := s.GetMany(ctx, []TableKey{
		{"h", item.Item{"pk": item.Str("a")}},
		{"h", item.Item{"pk": item.Str("never")}},
		{"h", item.Item{"pk": item.Str("gone")}}, // a tombstone reads as absent
		{"r", item.Item{"pk": item.Str("a"), "sk": item.Num("1")}},
	})
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 4 || got[0]["v"].S != "1" || got[1] != nil || got[2] != nil || got[3]["v"].S != "r" {
		t.Fatalf("GetMany = %v", got)
	}
	if got, err := s.GetMany(ctx, nil); err != nil || len(got) != 0 {
		t.Fatalf("GetMany(nil) = %v, %v", got, err)
	}

	_, err = s.GetMany(ctx, []TableKey{{"h", item.Item{"pk": item.Str("a")}}, {"nope", item.Item{"pk": item.Str("a")}}})
	var ke *KeyError
	if !errors.As(err, &ke) || ke.Index != 1 || !errors.Is(err, ErrTableNotFound) {
		t.Fatalf("unknown table: %v", err)
	}
	_, err = s.GetMany(ctx, []TableKey{{"h", item.Item{"x": item.Str("a")}}})
	var se *SchemaError
	if !errors.As(err, &ke) || ke.Index != 0 || !errors.As(err, &se) {
		t.Fatalf("bad key: %v", err)
	}
	cctx, cancel := context.WithCancel(ctx)
	cancel()
	if _, err := s.GetMany(cctx, []TableKey{{"h", item.Item{"pk": item.Str("a")}}}); !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled ctx: %v", err)
	}
}

// TestStoreGetManyConsistent moves amounts between accounts with
// UpdateMany (two keys per write, total constant) while readers take
// GetMany samples of all accounts: every sample must show the same total,
// which fails if a snapshot could see one half of an UpdateMany.
func TestStoreGetManyConsistent(t *testing.T) {
	s, _ := openMem(t)
	mustCreate(t, s, "acct", item.TypeS, 0)
	const accounts, initial = 20, 1000
	keys := make([]TableKey, accounts)
	for i := range accounts {
		id := fmt.Sprintf("a%02d", i)
		put(t, s, "acct", item.Item{"pk": item.Str(id), "bal": item.Num(strconv.Itoa(initial))})
		keys[i] = TableKey{"acct", item.Item{"pk": item.Str(id)}}
	}
	balance := func(it item.Item) int {
		n, err := strconv.Atoi(it["bal"].S)
		if err != nil {
			t.Errorf("balance %v: %v", it, err)
		}
		return n
	}
	adjust := func(delta int) UpdateFunc {
		return func(cur item.Item, _ Meta) (Mutation, error) {
			cur["bal"] = item.Num(strconv.Itoa(balance(cur) + delta))
			return Mutation{Put: cur, Version: nextVersion(), Origin: "r1"}, nil
		}
	}

	ctx := context.Background()
	stop := make(chan struct{})
	var writers, readers sync.WaitGroup
	var transfers [4]int
	var samples atomic.Int64
	for w := range 4 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 1))
			for n := 0; n < 300; n++ {
				a, b := rng.IntN(accounts), rng.IntN(accounts-1)
				if b >= a {
					b++
				}
				amt := rng.IntN(50)
				_, err := s.UpdateMany(ctx, []Write{
					{Table: "acct", Key: keys[a].Key, Fn: adjust(-amt)},
					{Table: "acct", Key: keys[b].Key, Fn: adjust(amt)},
				})
				if err != nil {
					t.Error(err)
					return
				}
				transfers[w]++
			}
		}()
	}
	for range 2 {
		readers.Add(1)
		go func() {
			defer readers.Done()
			for {
				items, err := s.GetMany(ctx, keys)
				if err != nil {
					t.Error(err)
					return
				}
				total := 0
				for _, it := range items {
					total += balance(it)
				}
				if total != accounts*initial {
					t.Errorf("sample total = %d, want %d", total, accounts*initial)
					return
				}
				samples.Add(1)
				select {
				case <-stop:
					return
				default:
				}
			}
		}()
	}
	writers.Wait()
	close(stop)
	readers.Wait()
	items, err := s.GetMany(ctx, keys)
	if err != nil {
		t.Fatal(err)
	}
	total := 0
	for _, it := range items {
		total += balance(it)
	}
	if total != accounts*initial {
		t.Errorf("final total = %d, want %d", total, accounts*initial)
	}
	t.Logf("transfers %v, samples %d", transfers, samples.Load())
}
