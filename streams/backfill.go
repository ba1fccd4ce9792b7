package streams

import (
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
	"github.com/nats-io/nats.go"
)

// Backfill: a region added to a table that already holds data copies the
// table's live items, with their versions, from an existing replica. It
// asks page by page over NATS request-reply on BackfillSubject(source);
// each page is a list of Changes (Kind item, Seq 0) that the requester
// applies with the last-writer-wins rule, so pages interleave safely with
// the stream's own changes, which keep flowing meanwhile.

// BackfillSubject is the subject region answers backfill requests on.
func BackfillSubject(region string) string { return "concord.backfill." + subjectToken(region) }

// BackfillRequest asks for up to Limit items of Table after the key After
// (item binary form; nil for the start).
type BackfillRequest struct {
	Table string `json:"table"`
	After []byte `json:"after,omitempty"`
	Limit int    `json:"limit,omitempty"`
}

// backfillPageBytes bounds a page below NATS's default 1 MB payload.
const backfillPageBytes = 512 << 10

// EncodeBackfillPage encodes a page: a done flag, then each change
// length-prefixed.
func EncodeBackfillPage(done bool, changes []*Change) []byte {
	var out []byte
	if done {
		out = append(out, 1)
	} else {
		out = append(out, 0)
	}
	var buf []byte
	for _, c := range changes {
		buf = EncodeChange(buf[:0], c)
		out = binary.AppendUvarint(out, uint64(len(buf)))
		out = append(out, buf...)
	}
	return out
}

// DecodeBackfillPage decodes EncodeBackfillPage's output.
func DecodeBackfillPage(b []byte) (done bool, changes []*Change, err error) {
	d := decoder{b: b}
	done = d.byte() == 1
	for d.err == nil && len(d.b) > 0 {
		raw := d.bytes()
		if d.err != nil {
			break
		}
		c, err := DecodeChange(raw)
		if err != nil {
			return false, nil, err
		}
		changes = append(changes, c)
	}
	return done, changes, d.err
}

// ServeBackfill answers backfill requests for store's tables on nc until
// the returned subscription is unsubscribed.
func ServeBackfill(nc *nats.Conn, region string, store *storage.Store, log *slog.Logger) (*nats.Subscription, error) {
	return nc.Subscribe(BackfillSubject(region), func(m *nats.Msg) {
		page, err := backfillPage(context.Background(), store, m.Data)
		if err != nil {
			log.Warn("streams: backfill request failed", "region", region, "err", err)
			reply := nats.NewMsg(m.Reply)
			reply.Header.Set("Concord-Error", err.Error())
			_ = m.RespondMsg(reply)
			return
		}
		_ = m.Respond(page)
	})
}

func backfillPage(ctx context.Context, store *storage.Store, req []byte) ([]byte, error) {
	var r BackfillRequest
	if err := json.Unmarshal(req, &r); err != nil {
		return nil, fmt.Errorf("streams: bad backfill request: %w", err)
	}
	if r.Limit <= 0 || r.Limit > 1000 {
		r.Limit = 1000
	}
	def, err := store.Table(r.Table)
	if err != nil {
		return nil, err
	}
	sc := storage.Scan{}
	if r.After != nil {
		if sc.ExclusiveStart, err = item.DecodeBinary(r.After); err != nil {
			return nil, fmt.Errorf("streams: bad backfill cursor: %w", err)
		}
	}
	var changes []*Change
	size, done := 0, true
	var scanErr error
	err = store.ScanVersions(ctx, r.Table, sc, func(it item.Item, version []byte) bool {
		if len(changes) >= r.Limit || size >= backfillPageBytes {
			done = false
			return false
		}
		key, err := storage.KeyOf(def, it)
		if err != nil {
			scanErr = err
			return false
		}
		v, err := conflict.DecodeVersion(version)
		if err != nil {
			scanErr = err
			return false
		}
		c := &Change{Kind: KindItem, Table: r.Table, Origin: v.Region,
			Version: append([]byte(nil), version...), Key: key, New: it}
		size += it.Size() + len(version) + 64
		changes = append(changes, c)
		return true
	})
	if err == nil {
		err = scanErr
	}
	if err != nil {
		return nil, err
	}
	return EncodeBackfillPage(done, changes), nil
}
