package storage

import (
	"encoding/binary"
	"hash/fnv"
)

// itemDigest is one live item's contribution to its table's Digest: the
// FNV-128a hash of (table name, encoded primary key, version, item binary),
// each length-prefixed. It uses nothing local to this store (not the table
// ID), so two regions holding the same items have equal digests.
func itemDigest(table string, pkey, version, itemBin []byte) [16]byte {
	h := fnv.New128a()
	var n [binary.MaxVarintLen64]byte
	for _, f := range [][]byte{[]byte(table), pkey, version} {
		h.Write(n[:binary.PutUvarint(n[:], uint64(len(f)))])
		h.Write(f)
	}
	h.Write(itemBin)
	var d [16]byte
	h.Sum(d[:0])
	return d
}

func xorDigest(dst *[16]byte, d [16]byte) {
	for i := range dst {
		dst[i] ^= d[i]
	}
}

// applyWrite folds one write into a table's stats: the old live item's
// contribution leaves (XOR is its own inverse) and the new one's arrives.
func (st *TableStats) applyWrite(w *pendingWrite) {
	if w.oldLive {
		st.ItemCount--
		st.SizeBytes -= w.oldSize
		xorDigest(&st.Digest, itemDigest(w.table, w.pkey, w.oldVersion, w.oldItemBin))
	}
	if !w.del {
		st.ItemCount++
		st.SizeBytes += w.newSize
		xorDigest(&st.Digest, itemDigest(w.table, w.pkey, w.version, w.newItemBin))
	}
}
