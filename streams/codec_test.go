package streams

import (
	"errors"
	"reflect"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func TestStreamsCodecRoundTrip(t *testing.T) {
	cases := []*Change{
		{Kind: KindItem, Seq: 1, Table: "t.1", Origin: "us-east-1", Version: []byte{1, 2, 3},
			Key: item.Item{"pk": item.Str("a")}, New: item.Item{"pk": item.Str("a"), "n": item.Num("1.5")}},
		{Kind: KindItem, Seq: 1 << 40, Table: "t", Origin: "eu-west-1", Version: []byte{9},
			Key: item.Item{"pk": item.Str("a")}, Cause: 1}, // a delete, by TTL
		{Kind: KindTable, Seq: 7, Table: "t", Origin: "r", Key: item.Item{}, Def: []byte(`{"x":1}`)},
		{Kind: KindTableDelete, Seq: 8, Table: "t", Origin: "r", Key: item.Item{}},
	}
	for _, c := range cases {
		got, err := DecodeChange(EncodeChange(nil, c))
		if err != nil {
			t.Fatalf("DecodeChange(EncodeChange(%+v)): %v", c, err)
		}
		if got.Kind != c.Kind || got.Cause != c.Cause || got.Seq != c.Seq || got.Table != c.Table || got.Origin != c.Origin ||
			!reflect.DeepEqual(got.Version, c.Version) || !reflect.DeepEqual(got.Def, c.Def) {
			t.Fatalf("round trip: got %+v, want %+v", got, c)
		}
		if !item.EqualItems(got.Key, c.Key) || (c.New == nil) != (got.New == nil) || !item.EqualItems(got.New, c.New) {
			t.Fatalf("round trip items: got key %v new %v, want key %v new %v", got.Key, got.New, c.Key, c.New)
		}
	}
}

func TestStreamsCodecRejectsGarbage(t *testing.T) {
	good := EncodeChange(nil, &Change{Seq: 1, Table: "t", Origin: "r", Version: []byte{1},
		Key: item.Item{"pk": item.Str("a")}, New: item.Item{"pk": item.Str("a")}})
	for i := 0; i < len(good); i++ {
		if _, err := DecodeChange(good[:i]); !errors.Is(err, ErrMalformed) {
			t.Fatalf("DecodeChange(truncated to %d bytes) err = %v, want ErrMalformed", i, err)
		}
	}
	if _, err := DecodeChange(append(good, 0)); !errors.Is(err, ErrMalformed) {
		t.Fatalf("trailing byte: err = %v, want ErrMalformed", err)
	}
}

func TestStreamsBatchRoundTrip(t *testing.T) {
	cs := []*Change{
		{Kind: KindItem, Seq: 5, Table: "t", Origin: "r", Version: []byte{1}, Key: item.Item{"pk": item.Str("a")},
			New: item.Item{"pk": item.Str("a")}, Group: 5, GroupSize: 2, Trace: []byte("00-abc-def-01")},
		{Kind: KindItem, Seq: 6, Table: "t", Origin: "r", Version: []byte{2}, Key: item.Item{"pk": item.Str("b")},
			Group: 5, GroupSize: 2},
		{Kind: KindTable, Seq: 7, Table: "u", Origin: "r", Key: item.Item{}, Def: []byte(`{}`)},
	}
	got, err := DecodeMessage(EncodeBatch(nil, cs), "")
	if err != nil || len(got) != len(cs) {
		t.Fatalf("DecodeMessage(EncodeBatch) = %d changes, %v", len(got), err)
	}
	for i, c := range cs {
		g := got[i]
		if g.Seq != c.Seq || g.Kind != c.Kind || g.Group != c.Group || g.GroupSize != c.GroupSize ||
			string(g.Trace) != string(c.Trace) || !item.EqualItems(g.Key, c.Key) || !item.EqualItems(g.New, c.New) {
			t.Fatalf("change %d: got %+v, want %+v", i, g, c)
		}
	}
	// A single-change message of an older publisher, its trace in a header.
	one, err := DecodeMessage(EncodeChange(nil, cs[1]), "00-hdr-01")
	if err != nil || len(one) != 1 || one[0].Seq != 6 || string(one[0].Trace) != "00-hdr-01" {
		t.Fatalf("DecodeMessage(single change) = %+v, %v", one, err)
	}
	good := EncodeBatch(nil, cs)
	for i := 0; i < len(good); i++ {
		if _, err := DecodeMessage(good[:i], ""); !errors.Is(err, ErrMalformed) {
			t.Fatalf("DecodeMessage(batch truncated to %d bytes) err = %v, want ErrMalformed", i, err)
		}
	}
}

func FuzzStreamsDecodeMessage(f *testing.F) {
	f.Add(EncodeBatch(nil, []*Change{{Seq: 3, Table: "t", Origin: "r", Version: []byte{1},
		Key: item.Item{"pk": item.Str("a")}, Trace: []byte("tp")}, {Seq: 4, Table: "t", Key: item.Item{}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		cs, err := DecodeMessage(b, "")
		if err != nil {
			return
		}
		again, err := DecodeMessage(EncodeBatch(nil, cs), "")
		if err != nil || len(again) != len(cs) {
			t.Fatalf("re-decode of a decoded batch: %d changes, %v; want %d", len(again), err, len(cs))
		}
	})
}

func FuzzStreamsDecodeChange(f *testing.F) {
	f.Add(EncodeChange(nil, &Change{Seq: 3, Table: "t", Origin: "r", Version: []byte{1},
		Key: item.Item{"pk": item.Str("a")}, New: item.Item{"pk": item.Str("a"), "l": {Type: item.TypeL, L: []item.Value{item.Num("1")}}}}))
	f.Fuzz(func(t *testing.T, b []byte) {
		c, err := DecodeChange(b)
		if err != nil {
			return
		}
		again, err := DecodeChange(EncodeChange(nil, c))
		if err != nil || again.Seq != c.Seq || again.Table != c.Table {
			t.Fatalf("re-decode of a decoded change failed: %v", err)
		}
	})
}

func TestStreamsNames(t *testing.T) {
	if got := StreamName("us-east-1"); got != "CONCORD_US-EAST-1" {
		t.Errorf("StreamName = %q", got)
	}
	if got := StreamName("a.b c"); got != "CONCORD_A_B_C" {
		t.Errorf("StreamName = %q", got)
	}
	if got := Subject("us-east-1"); got != "concord.chg.us-east-1" {
		t.Errorf("Subject = %q", got)
	}
	if got := MsgID("r", 12345); got != "r:12345" {
		t.Errorf("MsgID = %q", got)
	}
}

// TestStreamsChangeIncarnation: a change carries its table's incarnation,
// and a change of the format before incarnations (3) still decodes.
func TestStreamsChangeIncarnation(t *testing.T) {
	c := &Change{Kind: KindItem, Seq: 4, Table: "t", Origin: "r", Version: []byte{1}, Key: item.Item{"pk": item.Str("a")},
		Group: 4, GroupSize: 1, Incarnation: []byte("inc")}
	got, err := DecodeChange(EncodeChange(nil, c))
	if err != nil || string(got.Incarnation) != "inc" {
		t.Fatalf("round trip: %+v, %v", got, err)
	}
	c.Incarnation = nil
	v3 := EncodeChange(nil, c)
	v3 = v3[:len(v3)-1] // no incarnation field
	v3[0] = codecV3
	got, err = DecodeChange(v3)
	if err != nil || got.Incarnation != nil || got.Seq != 4 {
		t.Fatalf("format 3: %+v, %v", got, err)
	}
}
