package api

import (
	"context"
	"errors"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
)

// Time to Live: UpdateTimeToLive and DescribeTimeToLive. What expiry
// means (reads hide expired items, writes see them as absent, the sweeper
// deletes them) is the table engine's (region/table ttl.go).

type updateTimeToLiveRequest struct {
	TableName               *string
	TimeToLiveSpecification *struct {
		Enabled       *bool
		AttributeName *string
	}
}

type timeToLiveSpecification struct {
	Enabled       bool   `json:"Enabled"`
	AttributeName string `json:"AttributeName"`
}

func updateTimeToLive(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req updateTimeToLiveRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors
	checkTableRef(&v, "tableName", req.TableName)
	spec := req.TimeToLiveSpecification
	switch {
	case spec == nil:
		v.null("timeToLiveSpecification")
	default:
		if spec.Enabled == nil {
			v.null("timeToLiveSpecification.enabled")
		}
		if spec.AttributeName == nil {
			v.null("timeToLiveSpecification.attributeName")
		} else if n := len(*spec.AttributeName); n < 1 {
			v.add("''", "timeToLiveSpecification.attributeName", "Member must have length greater than or equal to 1")
		} else if n > 255 {
			v.add(quote(*spec.AttributeName), "timeToLiveSpecification.attributeName", "Member must have length less than or equal to 255")
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	def, err := s.lookupTable(req.TableName)
	if err != nil {
		return nil, err
	}
	enable, attr := *spec.Enabled, *spec.AttributeName
	err = s.eng.SetTTL(ctx, def.Name, enable, attr)
	if errors.Is(err, storage.ErrTableNotFound) {
		return nil, errTableNotFound(def.Name)
	}
	if err != nil {
		return nil, err
	}
	return encode(struct {
		TimeToLiveSpecification timeToLiveSpecification `json:"TimeToLiveSpecification"`
	}{timeToLiveSpecification{Enabled: enable, AttributeName: attr}})
}

type describeTimeToLiveRequest struct {
	TableName *string
}

func describeTimeToLive(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req describeTimeToLiveRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	def, err := s.lookupTable(req.TableName)
	if err != nil {
		return nil, err
	}
	m, err := table.LoadMeta(def)
	if err != nil {
		return nil, err
	}
	type description struct {
		TimeToLiveStatus string `json:"TimeToLiveStatus"`
		AttributeName    string `json:"AttributeName,omitempty"`
	}
	d := description{TimeToLiveStatus: "DISABLED"}
	if m.TTLAttribute != "" {
		d = description{TimeToLiveStatus: "ENABLED", AttributeName: m.TTLAttribute}
	}
	return encode(struct {
		TimeToLiveDescription description `json:"TimeToLiveDescription"`
	}{d})
}
