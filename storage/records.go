package storage

import (
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/concorddb/concord/storage/item"
)

// errCorrupt marks records that fail to decode.
var errCorrupt = errors.New("storage: corrupt record")

// Value record flags.
const flagTombstone byte = 1

// appendValueRecord appends an item value record:
// flags | uvarint(len(version)) | version | item binary (absent for a tombstone).
func appendValueRecord(dst []byte, version []byte, it item.Item, tombstone bool) []byte {
	var flags byte
	if tombstone {
		flags |= flagTombstone
	}
	dst = append(dst, flags)
	dst = binary.AppendUvarint(dst, uint64(len(version)))
	dst = append(dst, version...)
	if !tombstone {
		dst = it.AppendBinary(dst)
	}
	return dst
}

// valueRecord is a decoded value record; its slices alias the input.
type valueRecord struct {
	tombstone bool
	version   []byte
	itemBin   []byte
}

func decodeValueRecord(b []byte) (valueRecord, error) {
	if len(b) < 2 {
		return valueRecord{}, errCorrupt
	}
	r := valueRecord{tombstone: b[0]&flagTombstone != 0}
	n, w := binary.Uvarint(b[1:])
	if w <= 0 || uint64(len(b)-1-w) < n {
		return valueRecord{}, errCorrupt
	}
	r.version = b[1+w : 1+w+int(n)]
	r.itemBin = b[1+w+int(n):]
	return r, nil
}

// statsRecord is count (8) | size (8) | digest (16).
func appendStatsRecord(dst []byte, st TableStats) []byte {
	dst = binary.BigEndian.AppendUint64(dst, uint64(st.ItemCount))
	dst = binary.BigEndian.AppendUint64(dst, uint64(st.SizeBytes))
	return append(dst, st.Digest[:]...)
}

func decodeStatsRecord(b []byte) (TableStats, error) {
	if len(b) != 32 {
		return TableStats{}, errCorrupt
	}
	var st TableStats
	st.ItemCount = int64(binary.BigEndian.Uint64(b))
	st.SizeBytes = int64(binary.BigEndian.Uint64(b[8:]))
	copy(st.Digest[:], b[16:])
	return st, nil
}

// metaRecord is the store-wide state the committer owns.
type metaRecord struct {
	// nextTableID is the ID the next CreateTable assigns; IDs are never reused.
	nextTableID uint64
	// lastSeq is the last change-log sequence number assigned.
	lastSeq uint64
}

func (m metaRecord) encode() []byte {
	b := binary.BigEndian.AppendUint64(nil, m.nextTableID)
	return binary.BigEndian.AppendUint64(b, m.lastSeq)
}

func decodeMetaRecord(b []byte) (metaRecord, error) {
	if len(b) != 16 {
		return metaRecord{}, errCorrupt
	}
	return metaRecord{
		nextTableID: binary.BigEndian.Uint64(b),
		lastSeq:     binary.BigEndian.Uint64(b[8:]),
	}, nil
}

// Change record format version.
const changeRecordV1 byte = 1

// appendChangeRecord appends a change record: v1 | table | key | version |
// origin | old | new, each a uvarint length and bytes, except that old and
// new (item binaries) store length+1, with 0 meaning absent (nil).
func appendChangeRecord(dst []byte, table string, keyBin, version []byte, origin string, oldBin, newBin []byte) []byte {
	dst = append(dst, changeRecordV1)
	for _, f := range [][]byte{[]byte(table), keyBin, version, []byte(origin)} {
		dst = binary.AppendUvarint(dst, uint64(len(f)))
		dst = append(dst, f...)
	}
	for _, f := range [][]byte{oldBin, newBin} {
		if f == nil {
			dst = append(dst, 0)
			continue
		}
		dst = binary.AppendUvarint(dst, uint64(len(f))+1)
		dst = append(dst, f...)
	}
	return dst
}

func decodeChangeRecord(seq uint64, b []byte) (Change, error) {
	c, _, err := decodeChangeFiltered(seq, b, ChangeFilter{})
	return c, err
}

// decodeChangeFiltered decodes a change record that f keeps; for one it
// drops it reports false without decoding the record's items.
func decodeChangeFiltered(seq uint64, b []byte, f ChangeFilter) (Change, bool, error) {
	if len(b) > 0 && b[0] == changeRecordDDL {
		c, err := decodeDDLRecord(seq, b)
		if err != nil || (f.Origin != "" && c.Origin != f.Origin) {
			return Change{}, false, err
		}
		return c, true, nil
	}
	if len(b) == 0 || b[0] != changeRecordV1 {
		return Change{}, false, fmt.Errorf("%w: change seq=%d", errCorrupt, seq)
	}
	b = b[1:]
	var fields [6][]byte
	for i := range fields {
		n, w := binary.Uvarint(b)
		if w <= 0 {
			return Change{}, false, fmt.Errorf("%w: change seq=%d", errCorrupt, seq)
		}
		b = b[w:]
		if i >= 4 { // optional item: length+1, 0 = absent
			if n == 0 {
				continue
			}
			n--
		}
		if uint64(len(b)) < n {
			return Change{}, false, fmt.Errorf("%w: change seq=%d", errCorrupt, seq)
		}
		fields[i] = b[:n:n]
		b = b[n:]
	}
	if f.Origin != "" && string(fields[3]) != f.Origin {
		return Change{}, false, nil
	}
	if f.NoOld {
		fields[4] = nil
	}
	c := Change{
		Seq:     seq,
		Table:   string(fields[0]),
		Version: append([]byte(nil), fields[2]...),
		Origin:  string(fields[3]),
	}
	var err error
	if c.Key, err = item.DecodeBinary(fields[1]); err != nil {
		return Change{}, false, fmt.Errorf("change seq=%d key: %w", seq, err)
	}
	if fields[4] != nil {
		if c.Old, err = item.DecodeBinary(fields[4]); err != nil {
			return Change{}, false, fmt.Errorf("change seq=%d old: %w", seq, err)
		}
	}
	if fields[5] != nil {
		if c.New, err = item.DecodeBinary(fields[5]); err != nil {
			return Change{}, false, fmt.Errorf("change seq=%d new: %w", seq, err)
		}
	}
	c.Group, c.GroupSize = seq, 1
	if len(b) > 0 { // group trailer (a multi-write commit, or a traced write): group size, first seq
		size, w := binary.Uvarint(b)
		if w <= 0 {
			return Change{}, false, fmt.Errorf("%w: change seq=%d group", errCorrupt, seq)
		}
		first, w2 := binary.Uvarint(b[w:])
		if w2 <= 0 || size == 0 || first > seq || seq-first >= size {
			return Change{}, false, fmt.Errorf("%w: change seq=%d group", errCorrupt, seq)
		}
		c.Group, c.GroupSize = first, int(size)
		b = b[w+w2:]
	}
	if len(b) > 0 { // trace trailer (after the group trailer)
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return Change{}, false, fmt.Errorf("%w: change seq=%d trace", errCorrupt, seq)
		}
		if n > 0 {
			c.Trace = append([]byte(nil), b[w:w+int(n)]...)
		}
		b = b[w+int(n):]
	}
	if len(b) > 0 { // cause trailer (after the trace trailer): one byte
		c.Cause = Cause(b[0])
		b = b[1:]
	}
	if len(b) > 0 { // incarnation trailer (after the cause trailer)
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) != n {
			return Change{}, false, fmt.Errorf("%w: change seq=%d incarnation", errCorrupt, seq)
		}
		c.Incarnation = append([]byte(nil), b[w:]...)
	}
	return c, true, nil
}

// appendTrace appends the optional trace trailer of a change record: a
// uvarint length and the Mutation's Trace. It follows the group trailer,
// which a record carrying a trace always has (size 1 for a single write),
// so records written before traces existed still decode.
func appendTrace(dst, trace []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(trace)))
	return append(dst, trace...)
}

// appendIncarnation appends the optional incarnation trailer of a change
// record: a uvarint length and the table's incarnation. It follows the
// cause trailer, which a record carrying an incarnation always has (0 for
// an ordinary write), so records written before incarnations still
// decode.
func appendIncarnation(dst, inc []byte) []byte {
	dst = binary.AppendUvarint(dst, uint64(len(inc)))
	return append(dst, inc...)
}

// appendGroup appends the group trailer of a change record that belongs
// to a commit of several writes (UpdateMany): the group's size and the
// seq of its first record.
func appendGroup(dst []byte, size int, first uint64) []byte {
	dst = binary.AppendUvarint(dst, uint64(size))
	return binary.AppendUvarint(dst, first)
}

// changeRecordDDL marks a catalog change record: ddl | kind | origin |
// definition JSON, each but kind a uvarint length and bytes.
const changeRecordDDL byte = 2

func appendDDLRecord(dst []byte, kind ChangeKind, origin string, def []byte) []byte {
	dst = append(dst, changeRecordDDL, byte(kind))
	dst = binary.AppendUvarint(dst, uint64(len(origin)))
	dst = append(dst, origin...)
	dst = binary.AppendUvarint(dst, uint64(len(def)))
	return append(dst, def...)
}

func decodeDDLRecord(seq uint64, b []byte) (Change, error) {
	bad := fmt.Errorf("%w: change seq=%d", errCorrupt, seq)
	if len(b) < 2 {
		return Change{}, bad
	}
	c := Change{Seq: seq, Kind: ChangeKind(b[1])}
	b = b[2:]
	var fields [2][]byte
	for i := range fields {
		n, w := binary.Uvarint(b)
		if w <= 0 || uint64(len(b)-w) < n {
			return Change{}, bad
		}
		fields[i] = b[w : w+int(n)]
		b = b[w+int(n):]
	}
	var def TableDef
	if err := json.Unmarshal(fields[1], &def); err != nil {
		return Change{}, fmt.Errorf("%w: change seq=%d: %v", errCorrupt, seq, err)
	}
	c.Origin = string(fields[0])
	c.Table = def.Name
	c.Def = &def
	return c, nil
}
