package api

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"time"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams/ddbstreams"
)

// Table streams. A table's streams are local to its region (each replica
// has its own, as in DynamoDB global tables): their state is a storage
// setting keyed by the table's local ID, so a table re-created under the
// same name starts without streams. A deleted table's streams stay
// readable for a day, disabled and ending at the deletion, as in DynamoDB:
// the store remembers the deleted table (storage.DroppedTables) until
// PurgeDroppedTables forgets it. The records come from the region's
// change log, which holds every change made in or replicated to the
// region; region keeps the log for the streams' retention window.

// streamState is one stream of a table, enabled or (once) disabled.
type streamState struct {
	Label    string `json:"label"`
	ViewType string `json:"viewType"`
	StartSeq uint64 `json:"startSeq"`
	// Disabled is set when the stream was turned off; EndSeq is then its
	// last Seq (StartSeq-1 if it never received a change).
	Disabled bool   `json:"disabled,omitempty"`
	EndSeq   uint64 `json:"endSeq,omitempty"`
	Created  int64  `json:"created"` // Unix nanoseconds
}

func streamSetting(def storage.TableDef) string {
	return "api.streams." + strconv.FormatUint(def.ID, 10)
}

// tableStreams returns def's streams, oldest first.
func (s *Server) tableStreams(def storage.TableDef) ([]streamState, error) {
	raw, err := s.opts.Store.Setting(streamSetting(def))
	if err != nil || raw == nil {
		return nil, err
	}
	var out []streamState
	if err := json.Unmarshal(raw, &out); err != nil {
		return nil, fmt.Errorf("api: streams of table=%q: %w", def.Name, err)
	}
	return out, nil
}

// latestStream returns the newest stream of def, if any.
func (s *Server) latestStream(def storage.TableDef) (streamState, bool, error) {
	sts, err := s.tableStreams(def)
	if err != nil || len(sts) == 0 {
		return streamState{}, false, err
	}
	return sts[len(sts)-1], true, nil
}

var streamViewTypes = map[string]bool{"KEYS_ONLY": true, "NEW_IMAGE": true, "OLD_IMAGE": true, "NEW_AND_OLD_IMAGES": true}

// checkStreamSpec validates a StreamSpecification.
func checkStreamSpec(ss *streamSpecification) error {
	if ss == nil {
		return nil
	}
	if ss.StreamEnabled == nil {
		return errValidation("1 validation error detected: Value null at 'streamSpecification.streamEnabled' failed to satisfy constraint: Member must not be null")
	}
	if *ss.StreamEnabled {
		if !streamViewTypes[ss.StreamViewType] {
			return errValidation("1 validation error detected: Value '%s' at 'streamSpecification.streamViewType' failed to satisfy constraint: Member must satisfy enum value set: [NEW_IMAGE, OLD_IMAGE, NEW_AND_OLD_IMAGES, KEYS_ONLY]", ss.StreamViewType)
		}
	} else if ss.StreamViewType != "" {
		return errValidation("One or more parameter values were invalid: StreamViewType cannot be specified when StreamEnabled is false")
	}
	return nil
}

// applyStreamSpec enables or disables def's stream as ss asks. It is a
// no-op for a nil spec.
func (s *Server) applyStreamSpec(ctx context.Context, def storage.TableDef, ss *streamSpecification) error {
	if ss == nil {
		return nil
	}
	sts, err := s.tableStreams(def)
	if err != nil {
		return err
	}
	enabled := len(sts) > 0 && !sts[len(sts)-1].Disabled
	switch {
	case *ss.StreamEnabled && enabled:
		return errValidation("Table already has an enabled stream: %s", s.streamARN(def.Name, sts[len(sts)-1].Label))
	case !*ss.StreamEnabled && !enabled:
		return errValidation("Table already has no enabled stream: %s", def.Name)
	case *ss.StreamEnabled:
		now := s.now()
		// The label names the stream in its ARN: it must differ from the
		// table name's earlier streams, a deleted table's included.
		taken := map[string]bool{}
		for _, st := range sts {
			taken[st.Label] = true
		}
		dropped, err := s.droppedStreams(def.Name)
		if err != nil {
			return err
		}
		for _, ds := range dropped {
			taken[ds.st.Label] = true
		}
		label := streamLabel(now)
		for taken[label] {
			now += int64(time.Millisecond)
			label = streamLabel(now)
		}
		sts = append(sts, streamState{
			Label:    label,
			ViewType: ss.StreamViewType,
			StartSeq: s.opts.Store.LastSeq() + 1,
			Created:  now,
		})
	default:
		cur := &sts[len(sts)-1]
		cur.Disabled = true
		cur.EndSeq = max(s.opts.Store.LastSeq(), cur.StartSeq-1)
	}
	raw, err := json.Marshal(sts)
	if err != nil {
		return err
	}
	return s.opts.Store.SetSetting(ctx, streamSetting(def), raw)
}

// streamLabel is a stream's label: its creation time, to the millisecond.
func streamLabel(unixNanos int64) string {
	return time.Unix(0, unixNanos).UTC().Format("2006-01-02T15:04:05.000")
}

func (s *Server) streamARN(table, label string) string {
	return s.tableARN(table) + "/stream/" + label
}

// streamModel is the ddbstreams view of a table's stream.
func (s *Server) streamModel(def storage.TableDef, st streamState) ddbstreams.Stream {
	return ddbstreams.Stream{
		Table:    def.Name,
		ARN:      s.streamARN(def.Name, st.Label),
		Label:    st.Label,
		ViewType: st.ViewType,
		StartSeq: st.StartSeq,
		Disabled: st.Disabled,
		EndSeq:   st.EndSeq,
		Region:   s.opts.Region,
	}
}

// streamFields are the stream members of a TableDescription.
type streamFields struct {
	StreamSpecification *streamSpecification
	LatestStreamArn     string
	LatestStreamLabel   string
}

// describeStream returns the stream members of def's description.
func (s *Server) describeStreamFields(def storage.TableDef) streamFields {
	st, ok, err := s.latestStream(def)
	if err != nil || !ok {
		return streamFields{}
	}
	f := streamFields{LatestStreamArn: s.streamARN(def.Name, st.Label), LatestStreamLabel: st.Label}
	if !st.Disabled {
		on := true
		f.StreamSpecification = &streamSpecification{StreamEnabled: &on, StreamViewType: st.ViewType}
	}
	return f
}

// droppedStreamRetention is how long the streams of a deleted table stay
// readable, as in DynamoDB.
const droppedStreamRetention = 24 * time.Hour

// droppedStream is a stream of a deleted table: disabled, ending at the
// table's deletion.
type droppedStream struct {
	def storage.TableDef
	st  streamState
}

// droppedStreams returns the streams of the deleted tables named table
// (all deleted tables for ""), oldest table first.
func (s *Server) droppedStreams(table string) ([]droppedStream, error) {
	dropped, err := s.opts.Store.DroppedTables()
	if err != nil {
		return nil, err
	}
	var out []droppedStream
	for _, d := range dropped {
		if table != "" && d.Def.Name != table {
			continue
		}
		sts, err := s.tableStreams(d.Def)
		if err != nil {
			return nil, err
		}
		for _, st := range sts {
			if !st.Disabled {
				st.Disabled, st.EndSeq = true, d.Seq
			}
			out = append(out, droppedStream{def: d.Def, st: st})
		}
	}
	return out, nil
}

// PurgeDroppedTables forgets the tables deleted more than a day before now,
// with their streams, and returns how many it forgot. The region's
// maintenance calls it.
func (s *Server) PurgeDroppedTables(ctx context.Context, now time.Time) (int, error) {
	dropped, err := s.opts.Store.DroppedTables()
	if err != nil {
		return 0, err
	}
	n := 0
	for _, d := range dropped {
		if now.Sub(time.Unix(0, d.At)) < droppedStreamRetention {
			continue
		}
		if err := s.opts.Store.DeleteSettings(ctx, []string{streamSetting(d.Def)}); err != nil {
			return n, err
		}
		if err := s.opts.Store.ForgetDropped(ctx, d.Def.ID); err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}
