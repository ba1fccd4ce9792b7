package conflict

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/concorddb/concord/conflict/hlc"
)

// ErrBadVersion is returned by DecodeVersion for bytes that no Version encodes.
var ErrBadVersion = errors.New("conflict: malformed version")

// ErrVersionExhausted is returned by NextLocal for a write over an item
// whose current version has the maximal timestamp (hlc.MaxTimestamp): no
// greater timestamp exists, so no local write can win over it. Only a
// crafted or corrupt version gets there. Test with errors.Is; the
// protocol layer answers it as an InternalServerError.
var ErrVersionExhausted = errors.New("conflict: no version after the current one")

// Version identifies one version of an item: when (HLC) and where (region).
type Version struct {
	TS     hlc.Timestamp
	Region string
}

// Compare orders versions by timestamp, then region name: -1, 0 or +1.
func (v Version) Compare(w Version) int {
	if c := v.TS.Compare(w.TS); c != 0 {
		return c
	}
	return bytes.Compare([]byte(v.Region), []byte(w.Region))
}

// Encode returns the version's bytes: 8 bytes wall time and 4 bytes logical
// counter, big-endian, then the region name. bytes.Compare on encodings
// agrees with Compare on versions.
func (v Version) Encode() []byte {
	b := make([]byte, 12, 12+len(v.Region))
	binary.BigEndian.PutUint64(b, uint64(v.TS.Wall))
	binary.BigEndian.PutUint32(b[8:], v.TS.Logical)
	return append(b, v.Region...)
}

// String renders the version as wall.logical@region.
func (v Version) String() string {
	return fmt.Sprintf("%d.%d@%s", v.TS.Wall, v.TS.Logical, v.Region)
}

// DecodeVersion parses what Encode wrote.
func DecodeVersion(b []byte) (Version, error) {
	if len(b) < 12 {
		return Version{}, fmt.Errorf("%w: %d bytes", ErrBadVersion, len(b))
	}
	wall := int64(binary.BigEndian.Uint64(b))
	if wall < 0 {
		return Version{}, fmt.Errorf("%w: negative wall time", ErrBadVersion)
	}
	return Version{
		TS:     hlc.Timestamp{Wall: wall, Logical: binary.BigEndian.Uint32(b[8:])},
		Region: string(b[12:]),
	}, nil
}

// NextLocal returns the version for a local write by region over an item
// whose current version is cur (nil when the item was never written).
// The new version is always greater than cur whatever the wall clocks say
// (DESIGN decision 4): NextLocal first updates clock with cur, so a clock
// that may follow cur reads past it; when cur is further ahead than the
// clock's maximum offset lets it follow, the new version is instead the
// timestamp just after cur's (hlc.Timestamp.Next), and the clock stays
// within its bound. Over a cur with the maximal timestamp it returns
// ErrVersionExhausted. Call it while the item's key is locked.
func NextLocal(clock *hlc.Clock, region string, cur []byte) (Version, error) {
	if cur == nil {
		return Version{TS: clock.Now(), Region: region}, nil
	}
	v, err := DecodeVersion(cur)
	if err != nil {
		return Version{}, err
	}
	clock.Update(v.TS)
	ts := clock.Now()
	if !v.TS.Less(ts) {
		next, ok := v.TS.Next()
		if !ok {
			return Version{}, fmt.Errorf("%w: current version %v", ErrVersionExhausted, v)
		}
		ts = next
	}
	return Version{TS: ts, Region: region}, nil
}

// Resolve is the last-writer-wins rule: it reports whether an incoming
// version should replace the current one (absent current always loses).
func Resolve(cur *Version, incoming Version) bool {
	return cur == nil || incoming.Compare(*cur) > 0
}
