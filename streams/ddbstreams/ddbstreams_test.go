package ddbstreams

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

func openStore(t *testing.T) *storage.Store {
	t.Helper()
	s, err := storage.Open("db", storage.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = s.Close() })
	if _, err := s.CreateTable(context.Background(), storage.TableDef{Name: "t",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateTable(context.Background(), storage.TableDef{Name: "other",
		PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	return s
}

var version byte

func write(t *testing.T, s *storage.Store, table, pk string, it item.Item) {
	t.Helper()
	version++
	_, err := s.Update(context.Background(), table, item.Item{"pk": item.Str(pk)},
		func(item.Item, storage.Meta) (storage.Mutation, error) {
			if it == nil {
				return storage.Mutation{Delete: true, Version: []byte{version}, Origin: "r"}, nil
			}
			return storage.Mutation{Put: it, Version: []byte{version}, Origin: "r"}, nil
		})
	if err != nil {
		t.Fatal(err)
	}
}

func readAll(t *testing.T, s *storage.Store, st Stream, iter string, now time.Time) ([]Record, string) {
	t.Helper()
	var all []Record
	for range 100 {
		recs, next, err := Records(context.Background(), s, st, iter, 2, now, nil)
		if err != nil {
			t.Fatal(err)
		}
		all = append(all, recs...)
		if next == "" || len(recs) == 0 {
			return all, next
		}
		iter = next
	}
	t.Fatal("iterator never reached the end")
	return nil, ""
}

func TestStreamsShardsIteratorsAndRecords(t *testing.T) {
	s := openStore(t)
	ctx := context.Background()
	now := time.Unix(1_700_000_000, 0)
	st := Stream{Table: "t", ARN: "arn:stream/t", ViewType: "NEW_AND_OLD_IMAGES", StartSeq: s.LastSeq() + 1, Region: "us-east-1"}
	write(t, s, "t", "a", item.Item{"pk": item.Str("a"), "v": item.Num("1")}) // INSERT
	write(t, s, "other", "x", item.Item{"pk": item.Str("x")})                 // another table
	write(t, s, "t", "a", item.Item{"pk": item.Str("a"), "v": item.Num("2")}) // MODIFY
	if err := RecordBoundary(ctx, s); err != nil {                            // the node restarts
		t.Fatal(err)
	}
	write(t, s, "t", "a", nil) // REMOVE
	write(t, s, "t", "b", item.Item{"pk": item.Str("b")})

	shards, err := Shards(s, st)
	if err != nil || len(shards) != 2 {
		t.Fatalf("Shards = %+v, %v; want a closed shard and its open child", shards, err)
	}
	if shards[0].End == 0 || shards[1].End != 0 || shards[1].ParentID != shards[0].ID || shards[0].ParentID != "" {
		t.Fatalf("lineage: %+v", shards)
	}
	it, err := ShardIterator(s, st, shards[0].ID, TrimHorizon, "", now)
	if err != nil {
		t.Fatal(err)
	}
	recs, next := readAll(t, s, st, it, now)
	if next != "" {
		t.Fatal("closed shard read to its end still returns a next iterator")
	}
	if len(recs) != 2 || recs[0].EventName != "INSERT" || recs[1].EventName != "MODIFY" ||
		recs[1].Dynamodb.OldImage["v"].S != "1" || recs[1].Dynamodb.NewImage["v"].S != "2" {
		t.Fatalf("first shard records: %+v", recs)
	}
	it, _ = ShardIterator(s, st, shards[1].ID, TrimHorizon, "", now)
	recs, next = readAll(t, s, st, it, now)
	if len(recs) != 2 || recs[0].EventName != "REMOVE" || recs[0].Dynamodb.NewImage != nil || next == "" {
		t.Fatalf("open shard records: %+v next %q", recs, next)
	}
	// An open shard's iterator sees later writes.
	write(t, s, "t", "c", item.Item{"pk": item.Str("c")})
	recs, _, err = Records(ctx, s, st, next, 10, now, nil)
	if err != nil || len(recs) != 1 || recs[0].Dynamodb.Keys["pk"].S != "c" {
		t.Fatalf("records after a new write: %+v, %v", recs, err)
	}
	// AT and AFTER a sequence number, LATEST.
	seq := recs[0].Dynamodb.SequenceNumber
	at, _ := ShardIterator(s, st, shards[1].ID, AtSequenceNumber, seq, now)
	if r, _, _ := Records(ctx, s, st, at, 10, now, nil); len(r) != 1 || r[0].Dynamodb.SequenceNumber != seq {
		t.Fatalf("AT_SEQUENCE_NUMBER: %+v", r)
	}
	after, _ := ShardIterator(s, st, shards[1].ID, AfterSequenceNumber, seq, now)
	if r, _, _ := Records(ctx, s, st, after, 10, now, nil); len(r) != 0 {
		t.Fatalf("AFTER_SEQUENCE_NUMBER: %+v", r)
	}
	latest, _ := ShardIterator(s, st, shards[1].ID, Latest, "", now)
	if r, _, _ := Records(ctx, s, st, latest, 10, now, nil); len(r) != 0 {
		t.Fatalf("LATEST: %+v", r)
	}
	// Errors.
	if _, err := ShardIterator(s, st, shards[0].ID, AtSequenceNumber, seq, now); !errors.Is(err, ErrBadSequence) {
		t.Fatalf("sequence number of another shard: %v", err)
	}
	if _, err := ShardIterator(s, st, "shardId-nope", TrimHorizon, "", now); !errors.Is(err, ErrShardNotFound) {
		t.Fatalf("unknown shard: %v", err)
	}
	if _, _, err := Records(ctx, s, st, latest, 10, now.Add(16*time.Minute), nil); !errors.Is(err, ErrExpiredIterator) {
		t.Fatalf("16-minute-old iterator: %v", err)
	}
	if _, _, err := Records(ctx, s, st, "garbage", 10, now, nil); !errors.Is(err, ErrBadIterator) {
		t.Fatalf("garbage iterator: %v", err)
	}
	// Trimming the log removes the first shard and makes old iterators fail.
	old, _ := ShardIterator(s, st, shards[1].ID, TrimHorizon, "", now)
	if err := s.TrimChanges(s.LastSeq() - 1); err != nil {
		t.Fatal(err)
	}
	if _, _, err := Records(ctx, s, st, old, 10, now, nil); !errors.Is(err, ErrTrimmed) {
		t.Fatalf("iterator below the trim horizon: %v", err)
	}
	if shards, _ := Shards(s, st); len(shards) != 1 {
		t.Fatalf("after trimming, shards = %+v, want only the open one", shards)
	}
}

// TestStreamsBoundaryOnEmptyLog: a node first started on an empty data
// directory records a boundary of 0; it must not leave the stream's shard
// open forever.
func TestStreamsBoundaryOnEmptyLog(t *testing.T) {
	s, err := storage.Open("db", storage.Options{FS: vfs.NewMem()})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	ctx := context.Background()
	if err := RecordBoundary(ctx, s); err != nil { // first start: empty log
		t.Fatal(err)
	}
	if _, err := s.CreateTable(ctx, storage.TableDef{Name: "t", PartitionKey: storage.KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		t.Fatal(err)
	}
	st := Stream{Table: "t", ARN: "arn:stream/t", ViewType: "KEYS_ONLY", StartSeq: s.LastSeq() + 1}
	write(t, s, "t", "a", item.Item{"pk": item.Str("a")})
	if err := RecordBoundary(ctx, s); err != nil { // restart
		t.Fatal(err)
	}
	write(t, s, "t", "b", item.Item{"pk": item.Str("b")})
	shards, err := Shards(s, st)
	if err != nil || len(shards) != 2 || shards[0].End == 0 || shards[1].ParentID != shards[0].ID {
		t.Fatalf("shards after a restart = %+v, %v; want a closed shard and its open child", shards, err)
	}
	// A stream disabled before any write has no records and no open shard.
	off := Stream{Table: "t", ARN: "arn:stream/off", StartSeq: s.LastSeq() + 1, Disabled: true, EndSeq: s.LastSeq()}
	if shards, _ := Shards(s, off); len(shards) != 0 {
		t.Fatalf("a stream disabled before any write has shards %+v", shards)
	}
}
