package streams

import (
	"encoding/binary"
	"errors"
	"fmt"
)

// Parts. One change can encode to far more than NATS lets a message carry
// (its max payload, 1 MiB by default): DynamoDB counts a number by its
// significant digits, the encoding keeps its plain decimal form, so a
// 400 KB item of numbers like 1E-130 encodes to about 18.4 MB. The
// publisher sends such a change as a run of consecutive part messages,
// each within the connection's max payload; a replica reassembles them
// (Assembler) before it decodes the change.
//
// # Wire format
//
// A part message's data is
//
//	partVersion | uvarint(seq) | uvarint(attempt) | uvarint(total) | uvarint(offset) | bytes
//
// where bytes are [offset, offset+len(bytes)) of the total-byte message
// data that would have carried the change whole (a batch of one change,
// EncodeBatch's form, trace included), seq is the change's Seq, and
// attempt counts the publisher's tries at sending the change in parts
// (see below). Its headers are those of any message: Nats-Msg-Id =
// PartMsgID(region, seq, attempt, offset), Nats-Expected-Last-Msg-Id = the
// previous message's id, and Concord-Seq = seq on the last part, seq-1 on
// the others (a publisher that restarts after a part that is not the last
// sends the change again).
//
// The parts of a change are consecutive in the stream: the publisher
// chains every message to its predecessor, so nothing lands between
// them. A publisher that failed part-way through a change starts it again
// from offset 0 with the next attempt number, so the ids of the new parts
// differ from those of the parts already in the stream (JetStream would
// drop them as duplicates otherwise); a replica that holds an incomplete
// change drops it when the next message starts another (a part at
// offset 0, or a whole message).

// partVersion marks a part message (see Parts above).
const partVersion = 6

// maxPartTotal bounds the size of a message sent in parts that a replica
// accepts: a 400 KB item encodes to about 18.5 MB at worst.
const maxPartTotal = 64 << 20

// partHeaderMax bounds the length of a part message's header.
const partHeaderMax = 1 + 4*binary.MaxVarintLen64

// ErrPartWithoutStart is returned by Assembler.Add for a part message
// whose change's earlier parts never came: the stream no longer holds them
// (its retention removed them) or the consumer started after them. The
// change cannot be rebuilt from this stream.
var ErrPartWithoutStart = errors.New("streams: part of a change whose first part is not in the stream")

// PartMsgID is the deduplication id of the part at offset of region's
// change seq, sent in parts for the attempt-th time.
func PartMsgID(region string, seq, attempt uint64, offset int) string {
	return region + ":" + uitoa(seq) + "#" + uitoa(attempt) + "@" + uitoa(uint64(offset))
}

// part is one decoded part message.
type part struct {
	seq, attempt  uint64
	total, offset int
	data          []byte
}

// last reports whether p ends its change.
func (p part) last() bool { return p.offset+len(p.data) == p.total }

// appendPart appends the data of the part at offset of whole, the message
// data of change seq, holding at most n bytes of it, and returns the
// offset where the next part starts.
func appendPartData(dst []byte, seq, attempt uint64, whole []byte, offset, n int) ([]byte, int) {
	end := min(len(whole), offset+n)
	dst = append(dst, partVersion)
	dst = binary.AppendUvarint(dst, seq)
	dst = binary.AppendUvarint(dst, attempt)
	dst = binary.AppendUvarint(dst, uint64(len(whole)))
	dst = binary.AppendUvarint(dst, uint64(offset))
	return append(dst, whole[offset:end]...), end
}

// isPart reports whether b is a part message's data.
func isPart(b []byte) bool { return len(b) > 0 && b[0] == partVersion }

// decodePart parses a part message's data. Errors wrap ErrMalformed.
func decodePart(b []byte) (part, error) {
	d := decoder{b: b}
	if v := d.byte(); v != partVersion {
		return part{}, fmt.Errorf("%w: part format version %d", ErrMalformed, v)
	}
	p := part{seq: d.uvarint(), attempt: d.uvarint()}
	total, offset := d.uvarint(), d.uvarint()
	if d.err != nil {
		return part{}, d.err
	}
	if total > maxPartTotal || offset >= total || len(d.b) == 0 || uint64(len(d.b)) > total-offset {
		return part{}, fmt.Errorf("%w: part of %d bytes at %d with %d bytes", ErrMalformed, total, offset, len(d.b))
	}
	p.total, p.offset, p.data = int(total), int(offset), d.b
	return p, nil
}

// Assembler decodes a stream's messages, taken in stream order, into
// changes, reassembling the changes sent in parts. The zero value is
// ready. It is not safe for concurrent use.
type Assembler struct {
	cur    part   // the change being reassembled (data unused)
	buf    []byte // its bytes so far; nil when none is
	orphan part   // the last change whose parts came without their start
}

// Add takes the data of the stream's next message, and the value of its
// traceparent header (a one-change message of an older publisher carries
// its trace there), and returns the changes the message completes: a
// whole message's, or the change a last part completes; none for another
// part. A message that does not start another change while one sent in
// parts is incomplete drops the incomplete one (its publisher started it
// again or sent it whole). It returns ErrPartWithoutStart for the first
// part that continues a change whose earlier parts never came (later ones
// of that change return nothing), and errors that wrap ErrMalformed for
// data that does not decode or parts that do not continue the change.
func (a *Assembler) Add(data []byte, trace string) ([]*Change, error) {
	if !isPart(data) {
		a.drop()
		return DecodeMessage(data, trace)
	}
	p, err := decodePart(data)
	if err != nil {
		return nil, err
	}
	switch {
	case p.offset == 0:
		a.drop()
		a.cur, a.buf = p, append(make([]byte, 0, p.total), p.data...)
		a.cur.data = nil
	case a.buf != nil && p.seq == a.cur.seq && p.attempt == a.cur.attempt && p.total == a.cur.total && p.offset == len(a.buf):
		a.buf = append(a.buf, p.data...)
	case a.buf != nil:
		return nil, fmt.Errorf("%w: part at %d of %d bytes of seq %d (attempt %d) while holding %d of %d bytes of seq %d (attempt %d)",
			ErrMalformed, p.offset, p.total, p.seq, p.attempt, len(a.buf), a.cur.total, a.cur.seq, a.cur.attempt)
	case p.seq == a.orphan.seq && p.attempt == a.orphan.attempt && p.total == a.orphan.total:
		return nil, nil // the rest of a change already reported
	default:
		a.orphan = p
		a.orphan.data = nil
		return nil, fmt.Errorf("%w: seq %d, part at %d of %d bytes", ErrPartWithoutStart, p.seq, p.offset, p.total)
	}
	if len(a.buf) < a.cur.total {
		return nil, nil
	}
	whole := a.buf
	a.buf = nil
	if isPart(whole) {
		return nil, fmt.Errorf("%w: seq %d: parts of parts", ErrMalformed, a.cur.seq)
	}
	cs, err := DecodeMessage(whole, "")
	if err != nil {
		return nil, fmt.Errorf("seq %d sent in parts: %w", a.cur.seq, err)
	}
	for _, c := range cs {
		if c.Seq != a.cur.seq {
			return nil, fmt.Errorf("%w: parts of seq %d hold seq %d", ErrMalformed, a.cur.seq, c.Seq)
		}
	}
	return cs, nil
}

// drop gives up on the change being reassembled, if any.
func (a *Assembler) drop() { a.buf = nil }

// Open reports whether a change sent in parts is incomplete (its later
// parts have not been added yet), and if so its Seq and how many of its
// total bytes have come.
func (a *Assembler) Open() (seq uint64, have, total int, open bool) {
	if a.buf == nil {
		return 0, 0, 0, false
	}
	return a.cur.seq, len(a.buf), a.cur.total, true
}

// lastPart reads a part message's data for the publisher's resume: ok is
// false if data is not a part message.
func lastPart(data []byte) (p part, ok bool) {
	if !isPart(data) {
		return part{}, false
	}
	p, err := decodePart(data)
	return p, err == nil
}
