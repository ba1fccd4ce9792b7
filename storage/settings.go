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
