package storage

import (
	"bytes"
	"context"
	"encoding/binary"

	"github.com/cockroachdb/pebble/v2"
)

// prefixSetting is the key space of the store's local settings:
// 0x0E | name -> value. Settings belong to this store only; they are not
// in the change log and never replicate.
const prefixSetting byte = 0x0E

func settingKey(name string) []byte { return append([]byte{prefixSetting}, name...) }

// Setting returns the local setting name (nil if unset). The streams API
// keeps its shard boundaries here.
func (s *Store) Setting(name string) ([]byte, error) {
	if err := s.enter(); err != nil {
		return nil, err
	}
	defer s.lifeMu.RUnlock()
	v, closer, err := s.db.Get(settingKey(name))
	if err == pebble.ErrNotFound {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer closer.Close()
	return bytes.Clone(v), nil
}

// SetSetting durably stores the local setting name.
func (s *Store) SetSetting(ctx context.Context, name string, value []byte) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	return s.db.Set(settingKey(name), value, pebble.Sync)
}

// ScanSettings calls fn with each local setting whose name starts with
// prefix, in name order, while fn returns true. value is valid only during
// the call.
func (s *Store) ScanSettings(prefix string, fn func(name string, value []byte) bool) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	lo := settingKey(prefix)
	hi := append(bytes.Clone(lo), 0xff) // names are text: no byte 0xff
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: lo, UpperBound: hi})
	if err != nil {
		return err
	}
	defer it.Close()
	for ok := it.First(); ok; ok = it.Next() {
		v, err := it.ValueAndErr()
		if err != nil {
			return err
		}
		if !fn(string(it.Key()[1:]), v) {
			break
		}
	}
	return it.Error()
}

// DeleteSettings durably removes the named local settings.
func (s *Store) DeleteSettings(ctx context.Context, names []string) error {
	if err := s.enter(); err != nil {
		return err
	}
	defer s.lifeMu.RUnlock()
	if err := ctx.Err(); err != nil {
		return err
	}
	b := s.db.NewBatch()
	defer b.Close()
	for _, n := range names {
		_ = b.Delete(settingKey(n), nil)
	}
	return b.Commit(pebble.Sync)
}

// FirstSeq is the Seq of the oldest change-log record still held (the
// trim horizon), or LastSeq()+1 when the log is empty.
func (s *Store) FirstSeq() (uint64, error) {
	if err := s.enter(); err != nil {
		return 0, err
	}
	defer s.lifeMu.RUnlock()
	it, err := s.db.NewIter(&pebble.IterOptions{LowerBound: changeKey(0), UpperBound: []byte{prefixChange + 1}})
	if err != nil {
		return 0, err
	}
	defer it.Close()
	if !it.First() {
		return s.lastSeq.Load() + 1, it.Error()
	}
	return binary.BigEndian.Uint64(it.Key()[1:]), nil
}
