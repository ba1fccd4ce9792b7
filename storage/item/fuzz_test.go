package item

import (
	"bytes"
	"errors"
	"reflect"
	"testing"
)

var jsonSeeds = []string{
	`{"S":"hello"}`,
	`{"N":"-1.5e3"}`,
	`{"B":"aGVsbG8="}`,
	`{"BOOL":true}`,
	`{"NULL":true}`,
	`{"L":[{"S":"a"},{"N":"1"},{"L":[]}]}`,
	`{"M":{"a":{"SS":["x","y"]},"b":{"NS":["1","2.50"]},"c":{"BS":["AA=="]}}}`,
	`{"S":"\u00e9\ud83d\ude00\n"}`,
	`{"S":"a","N":null}`,
	`{"NS":["1","1.0"]}`,
	`{"S":5}`,
	`{"M":[]}`,
	`{}`,
}

// FuzzValueJSON checks that decoding never panics, that whatever decodes
// re-encodes to JSON that decodes to an equal value, and that encoding is
// then stable.
func FuzzValueJSON(f *testing.F) {
	for _, s := range jsonSeeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var v Value
		err := v.UnmarshalJSON(data)
		if err != nil {
			var ve *ValidationError
			var se *SerializationError
			if !errors.As(err, &ve) && !errors.As(err, &se) {
				t.Fatalf("unexpected error type %T: %v", err, err)
			}
			return
		}
		enc := v.AppendJSON(nil)
		var back Value
		if err := back.UnmarshalJSON(enc); err != nil {
			t.Fatalf("re-decode of %s: %v", enc, err)
		}
		if !reflect.DeepEqual(v, back) {
			t.Fatalf("decode→encode→decode changed the value\n%#v\n%#v", v, back)
		}
		if enc2 := back.AppendJSON(nil); !bytes.Equal(enc, enc2) {
			t.Fatalf("encoding not stable\n%s\n%s", enc, enc2)
		}
		// The binary form round-trips whatever the wire form accepts.
		bin := Item{"v": v}.AppendBinary(nil)
		it, err := DecodeBinary(bin)
		if err != nil || !Equal(it["v"], v) {
			t.Fatalf("binary round trip: %#v, %v", it, err)
		}
		_ = v.Size()
	})
}

// FuzzDecodeBinary checks that corrupt storage bytes give an error, never a
// panic, and that whatever decodes re-encodes to the same bytes.
func FuzzDecodeBinary(f *testing.F) {
	r := newTestRand(11)
	for range 8 {
		f.Add(randItem(r, 0).AppendBinary(nil))
	}
	f.Add([]byte{})
	f.Add([]byte{1, 0})
	f.Fuzz(func(t *testing.T, data []byte) {
		it, err := DecodeBinary(data)
		if err != nil {
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("error does not wrap ErrCorrupt: %v", err)
			}
			return
		}
		// Set order is not validated on decode and the encoder sorts sets,
		// so the first re-encoding may differ from data; from then on the
		// encoding must be stable.
		enc := it.AppendBinary(nil)
		back, err := DecodeBinary(enc)
		if err != nil || !bytes.Equal(back.AppendBinary(nil), enc) {
			t.Fatalf("re-encode round trip: %v", err)
		}
		_ = it.Size()
		_ = it.Clone()
		_ = it.AppendJSON(nil)
	})
}
