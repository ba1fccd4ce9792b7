package storage

import (
	"encoding/binary"
	"hash/fnv"

	"github.com/concorddb/concord/storage/internal/keycodec"
	"github.com/concorddb/concord/storage/item"
)

// Key spaces, the first byte of every Pebble key (see the package doc).
const (
	prefixMeta    byte = 0x01 // 0x01 -> meta record
	prefixCatalog byte = 0x02 // 0x02 | table name -> TableDef (JSON)
	prefixStats   byte = 0x03 // 0x03 | table ID (8, BE) -> stats record
	prefixChange  byte = 0x04 // 0x04 | seq (8, BE) -> change record
	prefixItem    byte = 0x10 // 0x10 | table ID | hash64 | enc(pk) | enc(sk) -> value record
)

// tablePrefixLen is the length of an item key's table prefix; hashLen the
// partition hash that follows it.
const (
	tablePrefixLen = 1 + 8
	hashLen        = 8
)

var metaKey = []byte{prefixMeta}

func catalogKey(name string) []byte {
	return append([]byte{prefixCatalog}, name...)
}

func statsKey(id uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{prefixStats}, id)
}

func changeKey(seq uint64) []byte {
	return binary.BigEndian.AppendUint64([]byte{prefixChange}, seq)
}

// appendTablePrefix appends the prefix of all of a table's item keys.
func appendTablePrefix(dst []byte, id uint64) []byte {
	dst = append(dst, prefixItem)
	return binary.BigEndian.AppendUint64(dst, id)
}

// tableBounds returns the key range holding all of a table's items.
func tableBounds(id uint64) (lo, hi []byte) {
	return appendTablePrefix(nil, id), appendTablePrefix(nil, id+1)
}

// hash64 spreads encoded partition keys over the 64-bit hash space: FNV-1a
// followed by a splitmix64 finalizer so that the high bits, which decide a
// parallel scan's segment, are well mixed. It is part of the on-disk format.
func hash64(encPK []byte) uint64 {
	h := fnv.New64a()
	h.Write(encPK)
	x := h.Sum64()
	x ^= x >> 30
	x *= 0xbf58476d1ce4e5b9
	x ^= x >> 27
	x *= 0x94d049bb133111eb
	x ^= x >> 31
	return x
}

// appendPartitionPrefix appends table prefix, hash and encoded partition key.
func appendPartitionPrefix(dst []byte, id uint64, pk item.Value) ([]byte, error) {
	enc, err := keycodec.AppendValue(nil, pk)
	if err != nil {
		return nil, err
	}
	dst = appendTablePrefix(dst, id)
	dst = binary.BigEndian.AppendUint64(dst, hash64(enc))
	return append(dst, enc...), nil
}

// itemKey returns the Pebble key of the item with the given (validated)
// primary key.
func itemKey(def TableDef, key item.Item) ([]byte, error) {
	k, err := appendPartitionPrefix(make([]byte, 0, 64), def.ID, key[def.PartitionKey.Name])
	if err != nil {
		return nil, err
	}
	if def.SortKey != nil {
		k, err = keycodec.AppendValue(k, key[def.SortKey.Name])
	}
	return k, err
}

// primaryKeyBytes is the part of an item key that does not depend on this
// store's table ID: enc(pk) | enc(sk). Digests hash it so that regions with
// different table IDs agree.
func primaryKeyBytes(k []byte) []byte {
	return k[tablePrefixLen+hashLen:]
}
