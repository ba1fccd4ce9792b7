package api

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/concorddb/concord/conflict"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams/ddbstreams"
)

// streamsOperations maps DynamoDBStreams_20120810.<Op> to its handler.
var streamsOperations = map[string]handler{
	"ListStreams":      listStreams,
	"DescribeStream":   describeStream,
	"GetShardIterator": getShardIterator,
	"GetRecords":       getRecords,
}

const (
	typeExpiredIterator = "ExpiredIteratorException"
	typeTrimmedData     = "TrimmedDataAccessException"
)

// streamsError maps ddbstreams' errors to the catalogue.
func streamsError(err error) error {
	switch {
	case errors.Is(err, ddbstreams.ErrExpiredIterator):
		return &Error{Type: typeExpiredIterator, Status: http.StatusBadRequest,
			Message: "Iterator expired. The iterator was created more than 15 minutes ago; call GetShardIterator again"}
	case errors.Is(err, ddbstreams.ErrTrimmed):
		return &Error{Type: typeTrimmedData, Status: http.StatusBadRequest,
			Message: "The operation attempted to read past the oldest stream record in a shard"}
	case errors.Is(err, ddbstreams.ErrBadIterator):
		return errValidation("Invalid ShardIterator: it was not returned by GetShardIterator or GetRecords for this stream")
	case errors.Is(err, ddbstreams.ErrBadSequence):
		return errValidation("Invalid SequenceNumber: it is not within the shard's SequenceNumberRange")
	case errors.Is(err, ddbstreams.ErrShardNotFound):
		return errResourceNotFound("Requested resource not found: Shard does not exist")
	}
	return err
}

// findStream resolves a stream ARN to its table and stream.
func (s *Server) findStream(arn *string) (storage.TableDef, table.Stream, error) {
	if arn == nil || *arn == "" {
		return storage.TableDef{}, table.Stream{}, errNotNull("streamArn")
	}
	notFound := errResourceNotFound("Requested resource not found: Stream: " + *arn + " not found")
	prefix := s.tableARN("")
	rest, ok := strings.CutPrefix(*arn, prefix)
	if !ok {
		return storage.TableDef{}, table.Stream{}, notFound
	}
	name, label, ok := strings.Cut(rest, "/stream/")
	if !ok {
		return storage.TableDef{}, table.Stream{}, notFound
	}
	def, err := s.store.Table(name)
	if err != nil && !errors.Is(err, storage.ErrTableNotFound) {
		return def, table.Stream{}, err
	}
	if err == nil {
		sts, err := s.eng.Streams(def)
		if err != nil {
			return def, table.Stream{}, err
		}
		for _, st := range sts {
			if st.Label == label {
				return def, st, nil
			}
		}
	}
	// A deleted table's stream stays readable, disabled, for a day.
	dropped, err := s.eng.DroppedStreams(name)
	if err != nil {
		return def, table.Stream{}, err
	}
	for _, ds := range dropped {
		if ds.Stream.Label == label {
			return ds.Def, ds.Stream, nil
		}
	}
	return def, table.Stream{}, notFound
}

type listStreamsRequest struct {
	TableName               *string
	Limit                   *int
	ExclusiveStartStreamArn *string
}

type streamSummary struct {
	StreamArn   string `json:"StreamArn"`
	StreamLabel string `json:"StreamLabel"`
	TableName   string `json:"TableName"`
}

func listStreams(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req listStreamsRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	limit, err := streamsLimit(req.Limit, 100)
	if err != nil {
		return nil, err
	}
	// The streams of deleted tables come first: they are older than any of
	// a live table's of the same name.
	var only string // "": every table's
	if req.TableName != nil {
		only = *req.TableName
	}
	dropped, err := s.eng.DroppedStreams(only)
	if err != nil {
		return nil, err
	}
	var all []streamSummary
	for _, ds := range dropped {
		all = append(all, streamSummary{StreamArn: s.streamARN(ds.Def.Name, ds.Stream.Label), StreamLabel: ds.Stream.Label, TableName: ds.Def.Name})
	}
	var names []string
	if req.TableName != nil {
		if _, err := s.store.Table(*req.TableName); err == nil {
			names = []string{*req.TableName}
		} else if len(all) == 0 {
			return nil, errResourceNotFound("Requested resource not found: Table: " + *req.TableName + " not found")
		}
	} else if names, _, err = s.store.ListTables("", 0); err != nil {
		return nil, err
	}
	for _, name := range names {
		def, err := s.store.Table(name)
		if err != nil {
			continue
		}
		sts, err := s.eng.Streams(def)
		if err != nil {
			return nil, err
		}
		for _, st := range sts {
			all = append(all, streamSummary{StreamArn: s.streamARN(name, st.Label), StreamLabel: st.Label, TableName: name})
		}
	}
	start := 0
	if req.ExclusiveStartStreamArn != nil {
		for i, st := range all {
			if st.StreamArn == *req.ExclusiveStartStreamArn {
				start = i + 1
			}
		}
	}
	all = all[start:]
	resp := struct {
		Streams                []streamSummary `json:"Streams"`
		LastEvaluatedStreamArn string          `json:"LastEvaluatedStreamArn,omitempty"`
	}{Streams: all}
	if len(all) > limit {
		resp.Streams = all[:limit]
		resp.LastEvaluatedStreamArn = all[limit-1].StreamArn
	}
	if resp.Streams == nil {
		resp.Streams = []streamSummary{}
	}
	return encode(resp)
}

type describeStreamRequest struct {
	StreamArn             *string
	Limit                 *int
	ExclusiveStartShardId *string
}

type shardDescription struct {
	ShardId             string              `json:"ShardId"`
	ParentShardId       string              `json:"ParentShardId,omitempty"`
	SequenceNumberRange sequenceNumberRange `json:"SequenceNumberRange"`
}

type sequenceNumberRange struct {
	StartingSequenceNumber string `json:"StartingSequenceNumber"`
	EndingSequenceNumber   string `json:"EndingSequenceNumber,omitempty"`
}

func describeStream(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req describeStreamRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	limit, err := streamsLimit(req.Limit, 100)
	if err != nil {
		return nil, err
	}
	def, st, err := s.findStream(req.StreamArn)
	if err != nil {
		return nil, err
	}
	model := s.streamModel(def, st)
	shards, err := ddbstreams.Shards(s.store, model)
	if err != nil {
		return nil, err
	}
	if req.ExclusiveStartShardId != nil {
		for i, sh := range shards {
			if sh.ID == *req.ExclusiveStartShardId {
				shards = shards[i+1:]
				break
			}
		}
	}
	var last string
	if len(shards) > limit {
		shards = shards[:limit]
		last = shards[limit-1].ID
	}
	out := make([]shardDescription, 0, len(shards))
	for _, sh := range shards {
		d := shardDescription{ShardId: sh.ID, ParentShardId: sh.ParentID,
			SequenceNumberRange: sequenceNumberRange{StartingSequenceNumber: ddbstreams.SeqString(sh.Start)}}
		if sh.End != 0 {
			d.SequenceNumberRange.EndingSequenceNumber = ddbstreams.SeqString(sh.End)
		}
		out = append(out, d)
	}
	status := "ENABLED"
	if st.Disabled {
		status = "DISABLED"
	}
	type streamDescription struct {
		StreamArn               string             `json:"StreamArn"`
		StreamLabel             string             `json:"StreamLabel"`
		StreamStatus            string             `json:"StreamStatus"`
		StreamViewType          string             `json:"StreamViewType"`
		CreationRequestDateTime float64            `json:"CreationRequestDateTime"`
		TableName               string             `json:"TableName"`
		KeySchema               []keySchemaElement `json:"KeySchema"`
		Shards                  []shardDescription `json:"Shards"`
		LastEvaluatedShardId    string             `json:"LastEvaluatedShardId,omitempty"`
	}
	return encode(struct {
		StreamDescription streamDescription `json:"StreamDescription"`
	}{streamDescription{
		StreamArn: model.ARN, StreamLabel: st.Label, StreamStatus: status, StreamViewType: st.ViewType,
		CreationRequestDateTime: epochSeconds(st.Created), TableName: def.Name, KeySchema: keySchemaOf(def),
		Shards: out, LastEvaluatedShardId: last,
	}})
}

type getShardIteratorRequest struct {
	StreamArn         *string
	ShardId           *string
	ShardIteratorType *string
	SequenceNumber    *string
}

func getShardIterator(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req getShardIteratorRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if req.ShardId == nil || *req.ShardId == "" {
		return nil, errNotNull("shardId")
	}
	if req.ShardIteratorType == nil {
		return nil, errNotNull("shardIteratorType")
	}
	typ := ddbstreams.IteratorType(*req.ShardIteratorType)
	switch typ {
	case ddbstreams.TrimHorizon, ddbstreams.Latest:
		if req.SequenceNumber != nil {
			return nil, errValidation("SequenceNumber must not be specified with ShardIteratorType %s", typ)
		}
	case ddbstreams.AtSequenceNumber, ddbstreams.AfterSequenceNumber:
		if req.SequenceNumber == nil {
			return nil, errValidation("SequenceNumber is required with ShardIteratorType %s", typ)
		}
	default:
		return nil, errValidation("1 validation error detected: Value '%s' at 'shardIteratorType' failed to satisfy constraint: Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_SEQUENCE_NUMBER, TRIM_HORIZON]", typ)
	}
	def, st, err := s.findStream(req.StreamArn)
	if err != nil {
		return nil, err
	}
	seq := ""
	if req.SequenceNumber != nil {
		seq = *req.SequenceNumber
	}
	it, err := ddbstreams.ShardIterator(s.store, s.streamModel(def, st), *req.ShardId, typ, seq, time.Unix(0, s.now()))
	if err != nil {
		return nil, streamsError(err)
	}
	return encode(struct {
		ShardIterator string `json:"ShardIterator"`
	}{it})
}

type getRecordsRequest struct {
	ShardIterator *string
	Limit         *int
}

func getRecords(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req getRecordsRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	if req.ShardIterator == nil || *req.ShardIterator == "" {
		return nil, errNotNull("shardIterator")
	}
	limit, err := streamsLimit(req.Limit, ddbstreams.MaxRecords)
	if err != nil {
		return nil, err
	}
	arn, err := ddbstreams.StreamOfIterator(*req.ShardIterator)
	if err != nil {
		return nil, streamsError(err)
	}
	def, st, err := s.findStream(&arn)
	if err != nil {
		return nil, err
	}
	recs, next, err := ddbstreams.Records(ctx, s.store, s.streamModel(def, st), *req.ShardIterator, limit,
		time.Unix(0, s.now()), versionTime)
	if err != nil {
		return nil, streamsError(err)
	}
	if recs == nil {
		recs = []ddbstreams.Record{}
	}
	return encode(struct {
		Records           []ddbstreams.Record `json:"Records"`
		NextShardIterator string              `json:"NextShardIterator,omitempty"`
	}{recs, next})
}

// versionTime is when a version was made: its HLC wall time.
func versionTime(version []byte) time.Time {
	v, err := conflict.DecodeVersion(version)
	if err != nil {
		return time.Time{}
	}
	return v.TS.Time()
}

// streamsLimit validates a Limit between 1 and most; nil means most.
func streamsLimit(limit *int, most int) (int, error) {
	if limit == nil {
		return most, nil
	}
	if *limit < 1 || *limit > most {
		return 0, errValidation("1 validation error detected: Value '%d' at 'limit' failed to satisfy constraint: Member must have value between 1 and %d", *limit, most)
	}
	return *limit, nil
}
