package streams

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/concorddb/concord/storage/item"
)

// ErrMalformed is returned by DecodeChange for bytes EncodeChange did not write.
var ErrMalformed = errors.New("streams: malformed change message")

// Kind says what a Change changes.
type Kind uint8

// Kinds of change.
const (
	// KindItem is a put (New set) or delete (New nil) of one item.
	KindItem Kind = iota
	// KindTable carries a table definition (Def) that every region should
	// hold; KindTableDelete removes the table named by Table.
	KindTable
	KindTableDelete
	// KindTableUpdate carries a changed definition (Def): its replica set
	// or its description.
	KindTableUpdate
)

// Change is one change as it travels between regions. It is the origin's
// change-log record without the old image (each region has its own).
type Change struct {
	Kind Kind
	// Seq is the change's position in its origin's change log.
	Seq     uint64
	Table   string
	Origin  string
	Version []byte
	Key     item.Item
	// New is the item after the change; nil for a delete.
	New item.Item
	// Def is the table definition for KindTable, in the form region/api
	// keeps (opaque here).
	Def []byte
	// Group is the Seq of the first change of the origin's commit this
	// change belongs to, and GroupSize the number of changes in that
	// commit (1 for a single write). A replica applies a group together,
	// so no region ever shows part of a batch or transaction.
	//
	// In a stream, GroupSize reaches only to the group's last change
	// that the origin published (Group+GroupSize-1 is its Seq): a
	// commit can also hold changes another region originated (a
	// backfill copies them in one commit), which their origin publishes,
	// not this one. So a replica holds the whole group once it holds the
	// change at Seq Group+GroupSize-1.
	Group     uint64
	GroupSize int
	// Cause is why the origin made the change (storage.CauseTTL for an
	// expiry), so every region's DynamoDB Streams record shows it.
	Cause uint8
	// Incarnation is the table's incarnation (storage.TableDef.Incarnation)
	// when the change was made: an item change applies only to that
	// incarnation of the table. nil from a table or a peer without them.
	Incarnation []byte
	// Trace is the W3C traceparent of the request that made the change in
	// its origin, nil if none. It travels in the message's HeaderTraceParent
	// header, not in the encoded change.
	Trace []byte
}

// codecVersion is the format EncodeChange writes; DecodeChange also reads
// codecV3, the format before incarnations (a peer not yet upgraded). 4 is
// batchVersion, which marks a message of several changes.
const (
	codecVersion = 5
	codecV3      = 3
)

// EncodeChange appends the wire form of c to dst.
func EncodeChange(dst []byte, c *Change) []byte {
	dst = append(dst, codecVersion, byte(c.Kind))
	dst = binary.AppendUvarint(dst, c.Seq)
	dst = appendBytes(dst, []byte(c.Table))
	dst = appendBytes(dst, []byte(c.Origin))
	dst = appendBytes(dst, c.Version)
	dst = appendBytes(dst, c.Key.AppendBinary(nil))
	if c.New != nil {
		dst = append(dst, 1)
		dst = appendBytes(dst, c.New.AppendBinary(nil))
	} else {
		dst = append(dst, 0)
	}
	dst = appendBytes(dst, c.Def)
	dst = binary.AppendUvarint(dst, c.Group)
	dst = binary.AppendUvarint(dst, uint64(c.GroupSize))
	dst = append(dst, c.Cause)
	return appendBytes(dst, c.Incarnation)
}

func appendBytes(dst, b []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(b)))
	return append(dst, b...)
}

// DecodeChange parses what EncodeChange wrote. It never panics on bad
// input; errors wrap ErrMalformed.
func DecodeChange(b []byte) (*Change, error) {
	d := decoder{b: b}
	v := d.byte()
	if v != codecVersion && v != codecV3 {
		return nil, fmt.Errorf("%w: format version %d", ErrMalformed, v)
	}
	c := &Change{Kind: Kind(d.byte()), Seq: d.uvarint()}
	c.Table = string(d.bytes())
	c.Origin = string(d.bytes())
	c.Version = d.bytes()
	keyBytes := d.bytes()
	hasNew := d.byte()
	var newBytes []byte
	if hasNew == 1 {
		newBytes = d.bytes()
	}
	c.Def = d.bytes()
	c.Group = d.uvarint()
	c.GroupSize = int(d.uvarint())
	c.Cause = d.byte()
	if v == codecVersion {
		c.Incarnation = d.bytes()
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(d.b))
	}
	if c.Kind > KindTableUpdate {
		return nil, fmt.Errorf("%w: kind %d", ErrMalformed, c.Kind)
	}
	if c.GroupSize > 1 && (c.Group > c.Seq || c.Seq-c.Group >= uint64(c.GroupSize)) {
		return nil, fmt.Errorf("%w: seq %d outside its group %d+%d", ErrMalformed, c.Seq, c.Group, c.GroupSize)
	}
	var err error
	if c.Key, err = item.DecodeBinary(keyBytes); err != nil {
		return nil, fmt.Errorf("%w: key: %v", ErrMalformed, err)
	}
	if hasNew == 1 {
		if c.New, err = item.DecodeBinary(newBytes); err != nil {
			return nil, fmt.Errorf("%w: new image: %v", ErrMalformed, err)
		}
		if c.New == nil {
			c.New = item.Item{}
		}
	}
	if len(c.Version) == 0 {
		c.Version = nil
	}
	if len(c.Def) == 0 {
		c.Def = nil
	}
	if len(c.Incarnation) == 0 {
		c.Incarnation = nil
	}
	return c, nil
}

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(what string) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: truncated %s", ErrMalformed, what)
	}
	d.b = nil
}

func (d *decoder) byte() byte {
	if len(d.b) < 1 {
		d.fail("byte")
		return 0
	}
	v := d.b[0]
	d.b = d.b[1:]
	return v
}

func (d *decoder) uvarint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail("varint")
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) bytes() []byte {
	n := d.uvarint()
	if d.err != nil || n > uint64(len(d.b)) {
		d.fail("bytes")
		return nil
	}
	v := d.b[:n:n]
	d.b = d.b[n:]
	return v
}

// batchVersion marks a message that carries several changes (the
// publisher packs the changes it reads together into one message, which
// costs JetStream, and every replica, one message instead of one per
// change): the number of changes, then each change's length-prefixed
// EncodeChange form followed by its length-prefixed Trace.
const batchVersion = 4

// EncodeBatch appends the wire form of a message carrying changes, in
// order, to dst.
func EncodeBatch(dst []byte, changes []*Change) []byte {
	dst = appendBatchHeader(dst, len(changes))
	var buf []byte
	for _, c := range changes {
		buf = EncodeChange(buf[:0], c)
		dst = appendBatchEntry(dst, buf, c.Trace)
	}
	return dst
}

// appendBatchHeader starts a batch of n changes.
func appendBatchHeader(dst []byte, n int) []byte {
	return binary.AppendUvarint(append(dst, batchVersion), uint64(n))
}

// appendBatchEntry appends one change of a batch: its EncodeChange form
// enc and its trace.
func appendBatchEntry(dst, enc, trace []byte) []byte {
	return appendBytes(appendBytes(dst, enc), trace)
}

// DecodeMessage parses a stream message's data: a batch (EncodeBatch) or
// a single change (EncodeChange, as publishers before batching wrote, with
// its trace in the traceparent header, passed as trace). It never panics
// on bad input; errors wrap ErrMalformed.
func DecodeMessage(b []byte, trace string) ([]*Change, error) {
	if len(b) == 0 || b[0] != batchVersion {
		c, err := DecodeChange(b)
		if err != nil {
			return nil, err
		}
		if trace != "" {
			c.Trace = []byte(trace)
		}
		return []*Change{c}, nil
	}
	d := decoder{b: b[1:]}
	n := d.uvarint()
	if d.err == nil && (n == 0 || n > uint64(len(d.b))) { // each change takes at least one byte
		return nil, fmt.Errorf("%w: batch of %d changes in %d bytes", ErrMalformed, n, len(d.b))
	}
	out := make([]*Change, 0, n)
	for d.err == nil && uint64(len(out)) < n {
		raw, tr := d.bytes(), d.bytes()
		if d.err != nil {
			break
		}
		c, err := DecodeChange(raw)
		if err != nil {
			return nil, err
		}
		if len(tr) > 0 {
			c.Trace = tr
		}
		out = append(out, c)
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, fmt.Errorf("%w: %d trailing bytes", ErrMalformed, len(d.b))
	}
	return out, nil
}
