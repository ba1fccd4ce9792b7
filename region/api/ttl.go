package api

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"time"

	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/storage/item"
)

// Time to Live. A table's TTL attribute is part of its description
// (tableMeta.TTLAttribute) and replicates with its definition, so every
// region hides expired items the same way. An item whose TTL attribute is
// a number of epoch seconds in the past is expired: reads (GetItem, Query,
// Scan, BatchGetItem, TransactGetItems) stop returning it at once, writes
// treat it as absent (conditions, update expressions, ReturnValues), and
// the region's sweeper (region/ttl.go) deletes it with an ordinary tombstone
// that replicates. DynamoDB instead keeps returning expired items until its
// sweeper deletes them, often hours later.

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
	_, err = s.opts.Store.UpdateTableFrom(ctx, def.Name, s.opts.Region, func(cur *storage.TableDef) error {
		m, err := loadMeta(*cur)
		if err != nil {
			return err
		}
		switch {
		case enable && m.TTLAttribute != "":
			return errValidation("TimeToLive is already enabled")
		case !enable && m.TTLAttribute == "":
			return errValidation("TimeToLive is already disabled")
		case !enable && m.TTLAttribute != attr:
			return errValidation("TimeToLive is enabled on attribute %s; disable it with that AttributeName", m.TTLAttribute)
		case enable:
			m.TTLAttribute = attr
		default:
			m.TTLAttribute = ""
		}
		cur.Meta, err = encodeMeta(m)
		return err
	})
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
	m, err := loadMeta(def)
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

// TTLAttribute returns the TTL attribute of def's table ("" when TTL is
// off). The region's sweeper calls it.
func TTLAttribute(def storage.TableDef) string {
	// Every read asks; decoding the meta only when it names a TTL
	// attribute keeps that off the hot path (encodeMeta omits the field
	// when TTL is off).
	if !bytes.Contains(def.Meta, []byte(`"ttlAttribute"`)) {
		return ""
	}
	m, err := loadMeta(def)
	if err != nil {
		return ""
	}
	return m.TTLAttribute
}

// Expired reports whether it has expired at now under TTL attribute attr:
// the attribute is a number of epoch seconds not after now. Anything else
// (absent, another type, a value beyond any date) never expires, as in
// DynamoDB.
func Expired(it item.Item, attr string, now time.Time) bool {
	v, ok := it[attr]
	if !ok || v.Type != item.TypeN {
		return false
	}
	f, ok := new(big.Float).SetString(v.S)
	if !ok {
		return false
	}
	return f.Cmp(new(big.Float).SetInt64(now.Unix())) <= 0
}

// expiredFunc returns the read filter for def: nil when TTL is off.
func (s *Server) expiredFunc(def storage.TableDef) func(item.Item) bool {
	attr := TTLAttribute(def)
	if attr == "" {
		return nil
	}
	now := time.Unix(0, s.opts.Clock.Now().Wall)
	return func(it item.Item) bool { return it != nil && Expired(it, attr, now) }
}

// liveOnly wraps a write's UpdateFunc so that it sees an expired item as
// absent, as reads do (expired from expiredFunc; nil when TTL is off).
func liveOnly(expired func(item.Item) bool, fn storage.UpdateFunc) storage.UpdateFunc {
	if expired == nil {
		return fn
	}
	return func(cur item.Item, meta storage.Meta) (storage.Mutation, error) {
		return fn(hideExpired(expired, cur), meta)
	}
}

// updateLive is Store.Update for a single-item write: fn sees, and the
// returned old item is, nil for an expired item.
func (s *Server) updateLive(ctx context.Context, def storage.TableDef, key item.Item, fn storage.UpdateFunc) (item.Item, error) {
	expired := s.expiredFunc(def)
	old, err := s.opts.Store.Update(ctx, def.Name, key, liveOnly(expired, fn))
	return hideExpired(expired, old), err
}

// hideExpired returns nil for an expired item, it otherwise.
func hideExpired(expired func(item.Item) bool, it item.Item) item.Item {
	if expired != nil && expired(it) {
		return nil
	}
	return it
}
