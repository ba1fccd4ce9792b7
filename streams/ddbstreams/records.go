package ddbstreams

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Errors, mapped by region/api to DynamoDB Streams' exceptions.
var (
	// ErrExpiredIterator: the iterator is older than IteratorLifetime
	// (ExpiredIteratorException).
	ErrExpiredIterator = errors.New("ddbstreams: iterator expired")
	// ErrTrimmed: the iterator or sequence number points below the trim
	// horizon (TrimmedDataAccessException).
	ErrTrimmed = errors.New("ddbstreams: data trimmed")
	// ErrBadIterator: the iterator is not one GetShardIterator returned for
	// this stream (ValidationException).
	ErrBadIterator = errors.New("ddbstreams: invalid shard iterator")
	// ErrBadSequence: the sequence number is not in the shard
	// (ValidationException).
	ErrBadSequence = errors.New("ddbstreams: sequence number not in shard")
	// ErrShardNotFound: no such shard (ResourceNotFoundException).
	ErrShardNotFound = errors.New("ddbstreams: shard not found")
)

// Limits DynamoDB Streams imposes.
const (
	// IteratorLifetime is how long a shard iterator stays valid.
	IteratorLifetime = 15 * time.Minute
	// MaxRecords and MaxBytes bound one GetRecords answer.
	MaxRecords = 1000
	MaxBytes   = 1 << 20
	// maxScanned bounds the log records one GetRecords call reads while
	// skipping other tables' changes, so a busy log cannot stall a reader.
	maxScanned = 20000
)

// iterator is the decoded form of a shard iterator.
type iterator struct {
	Stream string `json:"a"` // stream ARN
	Shard  string `json:"s"`
	Next   uint64 `json:"n"` // next log Seq to read
	Expiry int64  `json:"e"` // Unix milliseconds
}

func (it iterator) encode() string {
	b, _ := json.Marshal(it)
	return base64.RawURLEncoding.EncodeToString(b)
}

// StreamOfIterator returns the stream ARN an iterator belongs to, so the
// caller can look the stream up before calling GetRecords.
func StreamOfIterator(s string) (string, error) {
	it, err := decodeIterator(s)
	return it.Stream, err
}

func decodeIterator(s string) (iterator, error) {
	var it iterator
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &it) != nil || it.Stream == "" || it.Shard == "" {
		return iterator{}, ErrBadIterator
	}
	return it, nil
}

// IteratorType is GetShardIterator's ShardIteratorType.
type IteratorType string

// Iterator types.
const (
	TrimHorizon         IteratorType = "TRIM_HORIZON"
	Latest              IteratorType = "LATEST"
	AtSequenceNumber    IteratorType = "AT_SEQUENCE_NUMBER"
	AfterSequenceNumber IteratorType = "AFTER_SEQUENCE_NUMBER"
)

// ShardIterator returns an iterator on shard id of st. seq is the
// sequence number for AT_ and AFTER_SEQUENCE_NUMBER.
func ShardIterator(store *storage.Store, st Stream, id string, typ IteratorType, seq string, now time.Time) (string, error) {
	sh, ok, err := FindShard(store, st, id)
	if err != nil {
		return "", err
	}
	if !ok {
		return "", ErrShardNotFound
	}
	first, err := store.FirstSeq()
	if err != nil {
		return "", err
	}
	var next uint64
	switch typ {
	case TrimHorizon:
		next = max(sh.Start, first)
	case Latest:
		if sh.End != 0 {
			next = sh.End + 1
		} else {
			next = max(store.LastSeq()+1, sh.Start)
		}
	case AtSequenceNumber, AfterSequenceNumber:
		n, ok := ParseSeq(seq)
		if !ok || n < sh.Start || (sh.End != 0 && n > sh.End) {
			return "", ErrBadSequence
		}
		if n < first {
			return "", ErrTrimmed
		}
		next = n
		if typ == AfterSequenceNumber {
			next++
		}
	default:
		return "", fmt.Errorf("ddbstreams: iterator type %q: %w", typ, ErrBadIterator)
	}
	return iterator{Stream: st.ARN, Shard: sh.ID, Next: next, Expiry: now.Add(IteratorLifetime).UnixMilli()}.encode(), nil
}

// Record is one stream record, in DynamoDB Streams' JSON shape.
type Record struct {
	EventID      string        `json:"eventID"`
	EventName    string        `json:"eventName"`
	EventVersion string        `json:"eventVersion"`
	EventSource  string        `json:"eventSource"`
	AWSRegion    string        `json:"awsRegion"`
	Dynamodb     StreamRecord  `json:"dynamodb"`
	UserIdentity *UserIdentity `json:"userIdentity,omitempty"`
}

// StreamRecord is a Record's "dynamodb" member.
type StreamRecord struct {
	ApproximateCreationDateTime float64   `json:"ApproximateCreationDateTime"`
	Keys                        item.Item `json:"Keys"`
	NewImage                    item.Item `json:"NewImage,omitempty"`
	OldImage                    item.Item `json:"OldImage,omitempty"`
	SequenceNumber              string    `json:"SequenceNumber"`
	SizeBytes                   int       `json:"SizeBytes"`
	StreamViewType              string    `json:"StreamViewType"`
}

// UserIdentity marks records made by the service itself (TTL deletions).
type UserIdentity struct {
	Type        string `json:"Type"`
	PrincipalID string `json:"PrincipalId"`
}

// Records is GetRecords: up to limit records from the iterator and the
// iterator to continue with ("" when the shard is closed and fully read).
// versionTime turns a change's version into its creation time (the
// caller knows the version format; storage does not).
func Records(ctx context.Context, store *storage.Store, st Stream, iter string, limit int, now time.Time,
	versionTime func(version []byte) time.Time) ([]Record, string, error) {
	it, err := decodeIterator(iter)
	if err != nil || it.Stream != st.ARN {
		return nil, "", ErrBadIterator
	}
	if now.UnixMilli() > it.Expiry {
		return nil, "", ErrExpiredIterator
	}
	if limit <= 0 || limit > MaxRecords {
		limit = MaxRecords
	}
	sh, ok, err := FindShard(store, st, it.Shard)
	if err != nil {
		return nil, "", err
	}
	if !ok {
		// The shard was trimmed away since the iterator was made.
		return nil, "", ErrTrimmed
	}
	first, err := store.FirstSeq()
	if err != nil {
		return nil, "", err
	}
	if it.Next < first {
		return nil, "", ErrTrimmed
	}
	var out []Record
	size, scanned := 0, 0
	next := it.Next
scan:
	for scanned < maxScanned && len(out) < limit && size < MaxBytes {
		if sh.End != 0 && next > sh.End {
			break
		}
		changes, err := store.Changes(ctx, next-1, 1000)
		if err != nil {
			return nil, "", err
		}
		if len(changes) == 0 {
			break
		}
		for i := range changes {
			c := &changes[i]
			if sh.End != 0 && c.Seq > sh.End {
				next = sh.End + 1
				break scan
			}
			scanned++
			next = c.Seq + 1
			if c.Kind != storage.ChangeItem || c.Table != st.Table {
				continue
			}
			if c.Old == nil && c.New == nil {
				// A newer tombstone over a deleted item (a replicated or
				// repeated delete): nothing changed for readers, and
				// DynamoDB emits no record for deleting an absent item.
				continue
			}
			r := record(st, c, versionTime)
			out = append(out, r)
			size += r.Dynamodb.SizeBytes
			if len(out) >= limit || size >= MaxBytes {
				break scan
			}
		}
	}
	it.Next = next
	it.Expiry = now.Add(IteratorLifetime).UnixMilli()
	if sh.End != 0 && next > sh.End {
		return out, "", nil // closed shard read to its end
	}
	return out, it.encode(), nil
}

// record builds the stream record of a change.
func record(st Stream, c *storage.Change, versionTime func([]byte) time.Time) Record {
	r := Record{
		EventID:      fmt.Sprintf("%x-%d", crcOf(st.ARN), c.Seq),
		EventVersion: "1.1",
		EventSource:  "aws:dynamodb",
		AWSRegion:    st.Region,
		Dynamodb: StreamRecord{
			Keys:           c.Key,
			SequenceNumber: SeqString(c.Seq),
			StreamViewType: st.ViewType,
		},
	}
	switch {
	case c.New == nil:
		r.EventName = "REMOVE"
	case c.Old == nil:
		r.EventName = "INSERT"
	default:
		r.EventName = "MODIFY"
	}
	if versionTime != nil {
		r.Dynamodb.ApproximateCreationDateTime = float64(versionTime(c.Version).Unix())
	}
	size := c.Key.Size()
	if st.ViewType == "NEW_IMAGE" || st.ViewType == "NEW_AND_OLD_IMAGES" {
		r.Dynamodb.NewImage = c.New
		size += c.New.Size()
	}
	if st.ViewType == "OLD_IMAGE" || st.ViewType == "NEW_AND_OLD_IMAGES" {
		r.Dynamodb.OldImage = c.Old
		size += c.Old.Size()
	}
	r.Dynamodb.SizeBytes = size
	if c.Cause == storage.CauseTTL {
		r.UserIdentity = &UserIdentity{Type: "Service", PrincipalID: "dynamodb.amazonaws.com"}
	}
	return r
}

func crcOf(s string) uint32 {
	var h uint32 = 2166136261
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}
