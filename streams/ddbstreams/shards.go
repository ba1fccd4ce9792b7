package ddbstreams

import (
	"context"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"strconv"

	"github.com/concorddb/concord/storage"
)

// boundariesSetting is the storage setting holding the shard boundaries:
// big-endian uint64 log sequence numbers, ascending.
const boundariesSetting = "ddbstreams.boundaries"

// Stream is one table's stream as region/api describes it.
type Stream struct {
	Table string
	// ARN is the stream's ARN (.../table/<name>/stream/<label>).
	ARN string
	// Label is the stream's label (its creation time, ISO 8601).
	Label string
	// ViewType is KEYS_ONLY, NEW_IMAGE, OLD_IMAGE or NEW_AND_OLD_IMAGES.
	ViewType string
	// StartSeq is the first change-log Seq the stream covers (the log's
	// next Seq when the stream was enabled).
	StartSeq uint64
	// Disabled reports that the stream was turned off; EndSeq is then its
	// last Seq (StartSeq-1 when it never received a change).
	Disabled bool
	EndSeq   uint64
	// Region is the region serving the stream (records' awsRegion).
	Region string
}

// Shard is one shard of a stream: the log sequence numbers [Start, End];
// End is 0 while the shard is open (a closed shard never ends at 0: its
// range is not empty).
type Shard struct {
	ID       string
	ParentID string
	Start    uint64
	End      uint64
}

// SeqString renders a log Seq as a DynamoDB Streams sequence number.
func SeqString(seq uint64) string { return fmt.Sprintf("%021d", seq) }

// ParseSeq parses a sequence number SeqString wrote.
func ParseSeq(s string) (uint64, bool) {
	if len(s) == 0 || len(s) > 21 {
		return 0, false
	}
	v, err := strconv.ParseUint(s, 10, 64)
	return v, err == nil
}

// RecordBoundary closes the open shards of every stream: later changes
// go to new shards. region calls it when the node starts.
func RecordBoundary(ctx context.Context, store *storage.Store) error {
	bs, err := boundaries(store)
	if err != nil {
		return err
	}
	last := store.LastSeq()
	if len(bs) > 0 && bs[len(bs)-1] == last {
		return nil
	}
	bs = append(bs, last)
	out := make([]byte, 0, 8*len(bs))
	for _, b := range bs {
		out = binary.BigEndian.AppendUint64(out, b)
	}
	return store.SetSetting(ctx, boundariesSetting, out)
}

func boundaries(store *storage.Store) ([]uint64, error) {
	raw, err := store.Setting(boundariesSetting)
	if err != nil {
		return nil, err
	}
	if len(raw)%8 != 0 {
		return nil, fmt.Errorf("ddbstreams: corrupt shard boundaries (%d bytes)", len(raw))
	}
	bs := make([]uint64, 0, len(raw)/8)
	for i := 0; i < len(raw); i += 8 {
		bs = append(bs, binary.BigEndian.Uint64(raw[i:]))
	}
	return bs, nil
}

// Shards returns st's shards, oldest first, leaving out those wholly
// trimmed from the log.
func Shards(store *storage.Store, st Stream) ([]Shard, error) {
	bs, err := boundaries(store)
	if err != nil {
		return nil, err
	}
	first, err := store.FirstSeq()
	if err != nil {
		return nil, err
	}
	// Ranges (lo, hi]: (0, b0], (b0, b1], ..., (bn, open).
	var out []Shard
	prevID := ""
	lo := uint64(0)
	for i := 0; i <= len(bs); i++ {
		start := max(lo+1, st.StartSeq)
		open := i == len(bs)
		var end uint64
		if !open {
			end = bs[i]
			lo = bs[i]
		}
		if st.Disabled && (open || end >= st.EndSeq) {
			open, end = false, st.EndSeq
		}
		if !open && end < start {
			if st.Disabled && end == st.EndSeq {
				break // the stream ended before this range began
			}
			continue // before the stream began, or an empty range
		}
		sh := Shard{ID: shardID(st, start), ParentID: prevID, Start: start, End: end}
		prevID = sh.ID
		if !open && end < first {
			continue // trimmed away
		}
		out = append(out, sh)
		if open || (st.Disabled && end == st.EndSeq) {
			break
		}
	}
	return out, nil
}

func shardID(st Stream, start uint64) string {
	return fmt.Sprintf("shardId-%020d-%08x", start, crc32.ChecksumIEEE([]byte(st.ARN)))
}

// FindShard returns the shard with the given ID.
func FindShard(store *storage.Store, st Stream, id string) (Shard, bool, error) {
	shards, err := Shards(store, st)
	if err != nil {
		return Shard{}, false, err
	}
	for _, sh := range shards {
		if sh.ID == id {
			return sh, true, nil
		}
	}
	return Shard{}, false, nil
}
