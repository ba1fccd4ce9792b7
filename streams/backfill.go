package streams

import (
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Backfill: a region added to a table that already holds data copies the
// table's records — live items and the tombstones not purged yet, with
// their versions — from an existing replica. It asks page by page over
// NATS request-reply on BackfillSubject(source); each page is a list of
// Changes (Kind item, Seq 0; New nil for a tombstone) that the requester
// applies with the last-writer-wins rule, so pages interleave safely with
// the stream's own changes, which keep flowing meanwhile, and a deleted
// item's tombstone refuses a late, older write of it in the new replica as
// it does in the source.
//
// # Wire format
//
// A request is a BackfillRequest as JSON. A reply that succeeds carries no
// headers and a page as its body:
//
//	flags (bit 0: done, the table has no more records; bit 1: part)
//	without part: per change, uvarint(len) | EncodeChange form
//	with part:    uvarint(total) | uvarint(offset) | uvarint(len(version)) | version | bytes
//
// A page never exceeds the reply size the connection allows (the server's
// max payload, or the request's MaxBytes if smaller), and holds at least
// one change. A change whose encoding is larger than that alone travels in
// parts: bytes [offset, offset+len(bytes)) of its total-byte encoding,
// asked for one by one (BackfillRequest.Part); the requester decodes the
// change once it holds every byte. A 400 KB item can encode to about
// 18.5 MB: DynamoDB counts a number by its significant digits, the
// encoding keeps its plain decimal form, so a list of 1E-130s costs 45
// times its DynamoDB size. Parts keep the server stateless: each request
// names the last whole change's key (After) and the part's version and
// offset; if the record has changed meanwhile, the reply starts it again
// at offset 0.
//
// A reply that fails carries an empty body and two headers:
// HeaderBackfillCode, one of the BackfillCode* values, and
// HeaderBackfillError, the source's message (for people). The requester
// turns them into a *BackfillError, whose code errors.Is tests (for
// example storage.ErrTableNotFound: the source does not hold the table).

// BackfillSubject is the subject region answers backfill requests on.
func BackfillSubject(region string) string { return "concord.backfill." + subjectToken(region) }

// BackfillRequest asks for the records of Table after the key After (item
// binary form; nil for the start).
type BackfillRequest struct {
	Table string `json:"table"`
	After []byte `json:"after,omitempty"`
	// Limit bounds the changes in the page; 0 or above 1000 means 1000.
	Limit int `json:"limit,omitempty"`
	// MaxBytes bounds the reply's size when it is smaller than the
	// server's max payload (for example below a smaller limit on the
	// requester's path); 0 means the server's. Values under
	// MinBackfillBytes count as MinBackfillBytes.
	MaxBytes int `json:"maxBytes,omitempty"`
	// Part continues a change too large for one reply: the first record
	// after After, from Part.Offset, if its version is still
	// Part.Version.
	Part *BackfillPartRequest `json:"part,omitempty"`
}

// BackfillPartRequest names where a change sent in parts continues.
type BackfillPartRequest struct {
	Version []byte `json:"version"`
	Offset  int    `json:"offset"`
}

// MinBackfillBytes is the smallest reply a server is asked to bound its
// pages to.
const MinBackfillBytes = 16 << 10

// maxBackfillChange bounds the total a requester accepts for a change
// sent in parts: a 400 KB item encodes to about 18.5 MB at worst.
const maxBackfillChange = 64 << 20

// Reply headers of a failed backfill request.
const (
	HeaderBackfillCode  = "Concord-Error-Code"
	HeaderBackfillError = "Concord-Error"
)

// Codes of a failed backfill request (HeaderBackfillCode).
const (
	// BackfillCodeTableNotFound: the source holds no such table (it was
	// deleted there, or the source is not a replica of it).
	BackfillCodeTableNotFound = "table-not-found"
	// BackfillCodeBadRequest: the request cannot be served as sent (not
	// JSON, a cursor that is not a key of the table); asking again the
	// same way fails the same way.
	BackfillCodeBadRequest = "bad-request"
	// BackfillCodeTooLarge: the reply could not be sent because it was
	// larger than the connection allows; ask again with a smaller
	// MaxBytes.
	BackfillCodeTooLarge = "too-large"
	// BackfillCodeInternal: the source failed to read or send the page.
	BackfillCodeInternal = "internal"
)

// Errors a *BackfillError matches with errors.Is, one per code (and
// storage.ErrTableNotFound for BackfillCodeTableNotFound).
var (
	ErrBackfillBadRequest = errors.New("streams: backfill request refused by its source")
	ErrBackfillTooLarge   = errors.New("streams: backfill reply too large to send")
	ErrBackfillInternal   = errors.New("streams: backfill source failed")
)

// BackfillError is the failure a backfill source reported. errors.Is
// matches it with its code's error: storage.ErrTableNotFound,
// ErrBackfillBadRequest, ErrBackfillTooLarge or ErrBackfillInternal (also
// for a code this version does not know).
type BackfillError struct {
	// Source is the region that answered.
	Source string
	// Code is one of the BackfillCode* values.
	Code string
	// Message is the source's error text.
	Message string
}

func (e *BackfillError) Error() string {
	return fmt.Sprintf("streams: backfill source %s: %s (%s)", e.Source, e.Message, e.Code)
}

// Unwrap returns the error of e's code.
func (e *BackfillError) Unwrap() error {
	switch e.Code {
	case BackfillCodeTableNotFound:
		return storage.ErrTableNotFound
	case BackfillCodeBadRequest:
		return ErrBackfillBadRequest
	case BackfillCodeTooLarge:
		return ErrBackfillTooLarge
	}
	return ErrBackfillInternal
}

// backfillCode classifies a server-side error for the wire.
func backfillCode(err error) string {
	var verr *item.ValidationError
	var serr *storage.SchemaError
	switch {
	case errors.Is(err, storage.ErrTableNotFound):
		return BackfillCodeTableNotFound
	case errors.Is(err, ErrBackfillBadRequest), errors.As(err, &verr), errors.As(err, &serr):
		return BackfillCodeBadRequest
	case errors.Is(err, ErrBackfillTooLarge):
		return BackfillCodeTooLarge
	}
	return BackfillCodeInternal
}

// BackfillPage is one successful backfill reply.
type BackfillPage struct {
	// Done says the table has no records after this page's.
	Done bool
	// Changes are whole changes, in scan order; none when Part is set.
	Changes []*Change
	// Part, if set, is a piece of one change too large for a reply.
	Part *BackfillPart
}

// BackfillPart is bytes [Offset, Offset+len(Data)) of the Total-byte
// EncodeChange form of the change with version Version.
type BackfillPart struct {
	Total, Offset int
	Version       []byte
	Data          []byte
}

// Page flags.
const (
	pageDone byte = 1 << iota
	pagePart
)

// EncodeBackfillPage encodes a page (see the wire format above).
func EncodeBackfillPage(p BackfillPage) []byte {
	var out []byte
	if p.Part != nil {
		out = appendPartHeader(nil, pagePart, p.Part.Total, p.Part.Offset, p.Part.Version)
		return append(out, p.Part.Data...)
	}
	out = append(out, pageFlags(p.Done))
	var buf []byte
	for _, c := range p.Changes {
		buf = EncodeChange(buf[:0], c)
		out = appendBytes(out, buf)
	}
	return out
}

func pageFlags(done bool) byte {
	if done {
		return pageDone
	}
	return 0
}

// appendPartHeader appends a part page's flags and header; the part's
// bytes follow it.
func appendPartHeader(dst []byte, flags byte, total, offset int, version []byte) []byte {
	dst = append(dst, flags)
	dst = binary.AppendUvarint(dst, uint64(total))
	dst = binary.AppendUvarint(dst, uint64(offset))
	return appendBytes(dst, version)
}

// DecodeBackfillPage decodes EncodeBackfillPage's output. It never panics
// on bad input; errors wrap ErrMalformed.
func DecodeBackfillPage(b []byte) (BackfillPage, error) {
	d := decoder{b: b}
	flags := d.byte()
	if d.err != nil {
		return BackfillPage{}, d.err
	}
	if flags&^(pageDone|pagePart) != 0 {
		return BackfillPage{}, fmt.Errorf("%w: backfill page flags %#x", ErrMalformed, flags)
	}
	p := BackfillPage{Done: flags&pageDone != 0}
	if flags&pagePart != 0 {
		total, offset := d.uvarint(), d.uvarint()
		version := d.bytes()
		if d.err != nil {
			return BackfillPage{}, d.err
		}
		if p.Done || total > maxBackfillChange || offset >= total || uint64(len(d.b)) > total-offset || len(d.b) == 0 {
			return BackfillPage{}, fmt.Errorf("%w: backfill part of %d bytes at %d with %d bytes", ErrMalformed, total, offset, len(d.b))
		}
		p.Part = &BackfillPart{Total: int(total), Offset: int(offset), Version: version, Data: d.b}
		return p, nil
	}
	for d.err == nil && len(d.b) > 0 {
		raw := d.bytes()
		if d.err != nil {
			break
		}
		c, err := DecodeChange(raw)
		if err != nil {
			return BackfillPage{}, err
		}
		p.Changes = append(p.Changes, c)
	}
	if d.err != nil {
		return BackfillPage{}, d.err
	}
	return p, nil
}
