package streams

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"sync/atomic"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/nats-io/nats.go"
)

// BackfillServer answers a region's backfill requests (ServeBackfill).
type BackfillServer struct {
	nc     *nats.Conn
	region string
	store  *storage.Store
	log    *slog.Logger
	sub    *nats.Subscription

	pages, failed, unsent atomic.Uint64

	// part is the change last sent in parts, kept so that its next parts
	// do not read and encode the record again (a worst-case 400 KB item
	// encodes to about 18 MB, and takes 18 parts of 1 MB). Serving
	// them from a version read a moment earlier is safe: any version the
	// source held is, as the requester applies it with last-writer-wins.
	// It is kept until another request replaces it or its last part is
	// sent. Owned by the subscription's goroutine.
	part struct {
		table string
		after []byte
		partSource
	}
}

// partSource is a change sent in parts: its version and encoding.
type partSource struct {
	version, enc []byte
}

// BackfillStats counts what a BackfillServer did since it started.
type BackfillStats struct {
	// Pages is the number of pages sent.
	Pages uint64 `json:"pages"`
	// Failed counts the requests answered with an error code.
	Failed uint64 `json:"failed"`
	// Unsent counts the replies NATS refused to send (a page or error
	// reply that could not be delivered: too large, connection lost).
	Unsent uint64 `json:"unsent"`
}

// replyHeadroom is kept free below the connection's max payload: a
// NATS message's headers count against it, and a page reply has none
// today, but it leaves room for them.
const replyHeadroom = 1 << 10

// ServeBackfill answers backfill requests for store's tables on nc, on
// BackfillSubject(region), until Close. Requests are served one at a
// time, on the subscription's goroutine.
func ServeBackfill(nc *nats.Conn, region string, store *storage.Store, log *slog.Logger) (*BackfillServer, error) {
	s := &BackfillServer{nc: nc, region: region, store: store, log: log}
	sub, err := nc.Subscribe(BackfillSubject(region), s.serve)
	if err != nil {
		return nil, fmt.Errorf("streams: serve backfill: %w", err)
	}
	s.sub = sub
	return s, nil
}

// Close stops answering requests.
func (s *BackfillServer) Close() error { return s.sub.Unsubscribe() }

// Stats returns what the server did since it started.
func (s *BackfillServer) Stats() BackfillStats {
	return BackfillStats{Pages: s.pages.Load(), Failed: s.failed.Load(), Unsent: s.unsent.Load()}
}

// serve answers one request.
func (s *BackfillServer) serve(m *nats.Msg) {
	var req BackfillRequest
	if err := json.Unmarshal(m.Data, &req); err != nil {
		s.fail(m, "", fmt.Errorf("%w: %v", ErrBackfillBadRequest, err))
		return
	}
	page, err := s.page(req)
	if err != nil {
		s.fail(m, req.Table, err)
		return
	}
	if err := m.Respond(page); err != nil {
		// Pages are bounded to fit, so this is a connection that went
		// away or a max payload that shrank: say so, if anything can
		// still be sent, so the requester does not wait for its timeout.
		s.unsent.Add(1)
		s.log.Warn("streams: backfill page not sent", "region", s.region, "table", req.Table, "bytes", len(page), "err", err)
		if errors.Is(err, nats.ErrMaxPayload) {
			err = fmt.Errorf("%w: %d bytes: %v", ErrBackfillTooLarge, len(page), err)
		}
		s.fail(m, req.Table, err)
		return
	}
	s.pages.Add(1)
}

// page reads the page req asks for.
func (s *BackfillServer) page(req BackfillRequest) ([]byte, error) {
	budget := s.budget(req)
	p := &s.part
	if req.Part != nil && p.enc != nil && req.Table == p.table && bytes.Equal(req.After, p.after) &&
		bytes.Equal(req.Part.Version, p.version) && req.Part.Offset > 0 && req.Part.Offset < len(p.enc) {
		out, last := appendPart(nil, req.Part, p.partSource, budget)
		if last {
			p.partSource = partSource{}
		}
		return out, nil
	}
	out, part, err := backfillPage(context.Background(), s.store, req, budget)
	p.partSource = partSource{}
	if part != nil {
		p.table, p.after, p.partSource = req.Table, req.After, *part
	}
	return out, err
}

// budget is the most bytes a page for req may take.
func (s *BackfillServer) budget(req BackfillRequest) int {
	n := s.nc.MaxPayload()
	if req.MaxBytes > 0 && int64(req.MaxBytes) < n {
		n = int64(max(req.MaxBytes, MinBackfillBytes))
	}
	return int(max(n-replyHeadroom, MinBackfillBytes/2))
}

// fail answers m with err's code and text.
func (s *BackfillServer) fail(m *nats.Msg, table string, err error) {
	s.failed.Add(1)
	code := backfillCode(err)
	if code == BackfillCodeTableNotFound {
		// Expected when the table was deleted at the source: the
		// requester ends its backfill and says so.
		s.log.Info("streams: backfill of a table not held here", "region", s.region, "table", table)
	} else {
		s.log.Warn("streams: backfill request failed", "region", s.region, "table", table, "code", code, "err", err)
	}
	reply := nats.NewMsg(m.Reply)
	reply.Header.Set(HeaderBackfillCode, code)
	msg := err.Error()
	if len(msg) > 512 {
		msg = msg[:512]
	}
	reply.Header.Set(HeaderBackfillError, msg)
	if err := m.RespondMsg(reply); err != nil {
		s.unsent.Add(1)
		s.log.Warn("streams: backfill error reply not sent", "region", s.region, "table", table, "err", err)
	}
}

// backfillPage reads the page req asks for, at most budget bytes encoded.
// When the page is a part, whole is the encoded change it is part of.
func backfillPage(ctx context.Context, store *storage.Store, req BackfillRequest, budget int) ([]byte, *partSource, error) {
	if req.Limit <= 0 || req.Limit > 1000 {
		req.Limit = 1000
	}
	var sc storage.Scan
	if req.After != nil {
		var err error
		if sc.ExclusiveStart, err = item.DecodeBinary(req.After); err != nil {
			return nil, nil, fmt.Errorf("%w: cursor: %v", ErrBackfillBadRequest, err)
		}
	}
	// Every copied change names the incarnation of the table it comes
	// from: the requester applies it only to that incarnation.
	def, err := store.Table(req.Table)
	if err != nil {
		return nil, nil, err
	}
	out := []byte{0} // flags, set below
	var enc []byte
	var part *partSource
	n, more := 0, false
	err = store.ScanRecords(ctx, req.Table, sc, func(r storage.Record) bool {
		if n >= req.Limit {
			more = true
			return false
		}
		// A version that does not decode still travels, with no origin:
		// the requester counts it as skipped, as it does in the stream.
		v, _ := conflict.DecodeVersion(r.Version)
		enc = EncodeChange(enc[:0], &Change{Kind: KindItem, Table: req.Table, Origin: v.Region,
			Version: r.Version, Key: r.Key, New: r.Item, Incarnation: def.Incarnation})
		if len(out)+binary.MaxVarintLen64+len(enc) <= budget {
			out = appendBytes(out, enc)
			n++
			return true
		}
		if n == 0 { // alone it does not fit either: send it in parts
			part = &partSource{version: bytes.Clone(r.Version), enc: enc}
			out, _ = appendPart(out[:0], req.Part, *part, budget)
		}
		more = true
		return false
	})
	if err != nil {
		return nil, nil, err
	}
	if out[0] == 0 && !more {
		out[0] = pageDone
	}
	return out, part, nil
}

// appendPart appends the part page of p (a change whose encoding does not
// fit a page) that continues at want, or starts it again if want is nil
// or names another version; last says it ends the change.
func appendPart(dst []byte, want *BackfillPartRequest, p partSource, budget int) (out []byte, last bool) {
	offset := 0
	if want != nil && bytes.Equal(want.Version, p.version) && want.Offset > 0 && want.Offset < len(p.enc) {
		offset = want.Offset
	}
	dst = appendPartHeader(dst, pagePart, len(p.enc), offset, p.version)
	end := min(len(p.enc), offset+max(budget-len(dst), 1))
	return append(dst, p.enc[offset:end]...), end == len(p.enc)
}
