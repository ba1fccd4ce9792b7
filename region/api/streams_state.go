package api

import (
	"context"
	"errors"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams/ddbstreams"
)

// Table streams on the wire: StreamSpecification and the stream members
// of a TableDescription. What a table's streams are is the table engine's
// (region/table streams.go).

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
	err := s.eng.SetStream(ctx, def, *ss.StreamEnabled, ss.StreamViewType)
	var enabled *table.StreamEnabledError
	switch {
	case errors.As(err, &enabled):
		return errValidation("Table already has an enabled stream: %s", s.streamARN(def.Name, enabled.Label))
	case errors.Is(err, table.ErrStreamDisabled):
		return errValidation("Table already has no enabled stream: %s", def.Name)
	}
	return err
}

func (s *Server) streamARN(table, label string) string {
	return s.tableARN(table) + "/stream/" + label
}

// streamModel is the ddbstreams view of a table's stream.
func (s *Server) streamModel(def storage.TableDef, st table.Stream) ddbstreams.Stream {
	return ddbstreams.Stream{
		Table:    def.Name,
		ARN:      s.streamARN(def.Name, st.Label),
		Label:    st.Label,
		ViewType: st.ViewType,
		StartSeq: st.StartSeq,
		Disabled: st.Disabled,
		EndSeq:   st.EndSeq,
		Region:   s.region,
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
	st, ok, err := s.eng.LatestStream(def)
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
