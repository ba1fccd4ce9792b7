package table

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/concorddb/concord/storage"
)

// Table streams. A table's DynamoDB Streams are local to its region (each
// replica has its own, as in DynamoDB global tables): their state is a
// storage setting keyed by the table's local ID, so a table re-created
// under the same name starts without streams. A deleted table's streams
// stay readable for a day, disabled and ending at the deletion, as in
// DynamoDB: the store remembers the deleted table (storage.DroppedTables)
// until PurgeDroppedTables forgets it. The records come from the region's
// change log, which holds every change made in or replicated to the
// region; region keeps the log for the streams' retention window.

// DroppedStreamRetention is how long the streams of a deleted table stay
// readable, as in DynamoDB.
const DroppedStreamRetention = 24 * time.Hour

// Stream is one stream of a table, enabled or (once) disabled.
type Stream struct {
	Label    string `json:"label"`
	ViewType string `json:"viewType"`
	StartSeq uint64 `json:"startSeq"`
	// Disabled is set when the stream was turned off; EndSeq is then its
	// last Seq (StartSeq-1 if it never received a change).
	Disabled bool   `json:"disabled,omitempty"`
	EndSeq   uint64 `json:"endSeq,omitempty"`
	Created  int64  `json:"created"` // Unix nanoseconds
}

// Errors of SetStream. Test with errors.Is; StreamEnabledError carries
// the enabled stream.
var (
	// ErrStreamEnabled: enabling a stream on a table that has one.
	ErrStreamEnabled = errors.New("table: the table already has an enabled stream")
	// ErrStreamDisabled: disabling the stream of a table that has none.
	ErrStreamDisabled = errors.New("table: the table already has no enabled stream")
)

// StreamEnabledError is ErrStreamEnabled with the stream that is enabled.
type StreamEnabledError struct{ Label string }

func (e *StreamEnabledError) Error() string { return ErrStreamEnabled.Error() }
func (e *StreamEnabledError) Unwrap() error { return ErrStreamEnabled }

// streamSetting names the setting that holds def's streams. The "api."
// prefix is historical (the protocol layer kept it first); stores on disk
// use it.
func streamSetting(def storage.TableDef) string {
	return "api.streams." + strconv.FormatUint(def.ID, 10)
}

// Streams returns def's streams, oldest first.
func (e *Engine) Streams(def storage.TableDef) ([]Stream, error) {
	raw, err := e.opts.Store.Setting(streamSetting(def))
	if err != nil || raw == nil {
		return nil, err
	}
	var out []Stream
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("table: streams of table=%q: %w", def.Name, err)
	}
	return out, nil
}

// LatestStream returns the newest stream of def, if any.
func (e *Engine) LatestStream(def storage.TableDef) (Stream, bool, error) {
	sts, err := e.Streams(def)
	if err != nil || len(sts) == 0 {
		return Stream{}, false, err
	}
	return sts[len(sts)-1], true, nil
}

// SetStream enables (with viewType) or disables def's stream. Enabling
// when a stream is enabled is a *StreamEnabledError, disabling when none
// is ErrStreamDisabled.
func (e *Engine) SetStream(ctx context.Context, def storage.TableDef, enable bool, viewType string) error {
	sts, err := e.Streams(def)
	if err != nil {
		return err
	}
	enabled := len(sts) > 0 && !sts[len(sts)-1].Disabled
	switch {
	case enable && enabled:
		return &StreamEnabledError{Label: sts[len(sts)-1].Label}
	case !enable && !enabled:
		return ErrStreamDisabled
	case enable:
		now := e.Now()
		// The label names the stream in its ARN: it must differ from the
		// table name's earlier streams, a deleted table's included.
		taken := map[string]bool{}
		for _, st := range sts {
			taken[st.Label] = true
		}
		dropped, err := e.DroppedStreams(def.Name)
		if err != nil {
			return err
		}
		for _, ds := range dropped {
			taken[ds.Stream.Label] = true
		}
		label := StreamLabel(now)
		for taken[label] {
			now += int64(time.Millisecond)
			label = StreamLabel(now)
		}
		sts = append(sts, Stream{
			Label:    label,
			ViewType: viewType,
			StartSeq: e.opts.Store.LastSeq() + 1,
			Created:  now,
		})
	default:
		cur := &sts[len(sts)-1]
		cur.Disabled = true
		cur.EndSeq = max(e.opts.Store.LastSeq(), cur.StartSeq-1)
	}
	raw, err := json.Marshal(sts)
	if err != nil {
		return err
	}
	return e.opts.Store.SetSetting(ctx, streamSetting(def), raw)
}

// StreamLabel is a stream's label: its creation time, to the millisecond.
func StreamLabel(unixNanos int64) string {
	return time.Unix(0, unixNanos).UTC().Format("2006-01-02T15:04:05.000")
}

// DroppedStream is a stream of a deleted table: disabled, ending at the
// table's deletion.
type DroppedStream struct {
	Def    storage.TableDef
	Stream Stream
}

// DroppedStreams returns the streams of the deleted tables named name
// (all deleted tables for ""), oldest table first.
func (e *Engine) DroppedStreams(name string) ([]DroppedStream, error) {
	dropped, err := e.opts.Store.DroppedTables()
	if err != nil {
		return nil, err
	}
	var out []DroppedStream
	for _, d := range dropped {
		if name != "" && d.Def.Name != name {
			continue
		}
		sts, err := e.Streams(d.Def)
		if err != nil {
			return nil, err
		}
		for _, st := range sts {
			if !st.Disabled {
				st.Disabled, st.EndSeq = true, d.Seq
			}
			out = append(out, DroppedStream{Def: d.Def, Stream: st})
		}
	}
	return out, nil
}

// PurgeDroppedTables forgets the tables deleted more than
// DroppedStreamRetention before now, with their streams, and returns how
// many it forgot. The region's maintenance calls it.
func (e *Engine) PurgeDroppedTables(ctx context.Context, now time.Time) (int, error) {
	dropped, err := e.opts.Store.DroppedTables()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range dropped {
		if now.Sub(time.Unix(0, d.At)) < DroppedStreamRetention {
			continue
		}
		if err := e.opts.Store.DeleteSettings(ctx, []string{streamSetting(d.Def)}); err != nil {
			return n, err
		}
		if err := e.opts.Store.ForgetDropped(ctx, d.Def.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
