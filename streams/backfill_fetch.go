package streams

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/nats-io/nats.go"
)

// BackfillClient asks a source region for a table's records.
type BackfillClient struct {
	// Conn reaches the source's NATS. Required.
	Conn *nats.Conn
	// Source is the region asked. Required.
	Source string
	// Timeout bounds each request; default 30s.
	Timeout time.Duration
	// MaxBytes bounds each reply; default (0) Conn.MaxPayload(). A reply
	// the source could not send because it was too large halves it, down
	// to MinBackfillBytes.
	MaxBytes int
	// Limit bounds the changes per page; default 500.
	Limit int
}

// Fetch pages through the source's records of table (live items and
// tombstones) and passes each page's changes, in order, to apply, until
// the last page. It returns the number of changes passed. An error the
// source reported is a *BackfillError (errors.Is(err,
// storage.ErrTableNotFound): the source does not hold the table); a reply
// that does not decode, or holds changes of another table or kind, wraps
// ErrMalformed; other errors are NATS's (the source unreachable, a
// timeout) or apply's.
func (c BackfillClient) Fetch(ctx context.Context, table string, apply func([]*Change) error) (int, error) {
	req := BackfillRequest{Table: table, Limit: c.Limit, MaxBytes: c.MaxBytes}
	if req.Limit <= 0 {
		req.Limit = 500
	}
	if req.MaxBytes <= 0 {
		req.MaxBytes = int(c.Conn.MaxPayload())
	}
	total := 0
	var part []byte // the change being received in parts
	for {
		page, err := c.request(ctx, req)
		if errors.Is(err, ErrBackfillTooLarge) && req.MaxBytes > MinBackfillBytes {
			req.MaxBytes = max(req.MaxBytes/2, MinBackfillBytes)
			continue
		}
		if err != nil {
			return total, err
		}
		if p := page.Part; p != nil {
			switch {
			case p.Offset == 0:
				part = append(part[:0], p.Data...)
			case req.Part != nil && p.Offset == len(part) && bytes.Equal(p.Version, req.Part.Version):
				part = append(part, p.Data...)
			default:
				return total, fmt.Errorf("%w: backfill part at %d of %d, holding %d bytes", ErrMalformed, p.Offset, p.Total, len(part))
			}
			if len(part) < p.Total {
				req.Part = &BackfillPartRequest{Version: bytes.Clone(p.Version), Offset: len(part)}
				continue
			}
			ch, err := DecodeChange(part)
			if err != nil {
				return total, err
			}
			page.Changes, part = []*Change{ch}, nil
		}
		req.Part = nil
		for _, ch := range page.Changes {
			if ch.Kind != KindItem || ch.Table != table {
				return total, fmt.Errorf("%w: backfill of table %q sent kind %d of table %q", ErrMalformed, table, ch.Kind, ch.Table)
			}
		}
		if len(page.Changes) > 0 {
			if err := apply(page.Changes); err != nil {
				return total, err
			}
			total += len(page.Changes)
			req.After = page.Changes[len(page.Changes)-1].Key.AppendBinary(nil)
		}
		if page.Done || len(page.Changes) == 0 {
			return total, nil
		}
	}
}

// request sends one request and decodes its reply.
func (c BackfillClient) request(ctx context.Context, req BackfillRequest) (BackfillPage, error) {
	body, err := json.Marshal(req)
	if err != nil {
		return BackfillPage{}, err
	}
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	msg, err := c.Conn.RequestWithContext(rctx, BackfillSubject(c.Source), body)
	if err != nil {
		return BackfillPage{}, fmt.Errorf("streams: backfill request to %s: %w", c.Source, err)
	}
	if code, text := msg.Header.Get(HeaderBackfillCode), msg.Header.Get(HeaderBackfillError); code != "" || text != "" {
		if code == "" {
			code = BackfillCodeInternal // a source from before the codes
		}
		return BackfillPage{}, &BackfillError{Source: c.Source, Code: code, Message: text}
	}
	return DecodeBackfillPage(msg.Data)
}
