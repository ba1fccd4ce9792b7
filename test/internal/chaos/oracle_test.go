package chaos

import (
	"strings"
	"testing"
	"time"
)

// at returns a time t0 + ms milliseconds.
var t0 = time.Now()

func at(ms int) time.Time { return t0.Add(time.Duration(ms) * time.Millisecond) }

// w makes a write from start to end (ms) in region (epoch 1) with a
// version of wall time ver (0: none).
func w(key, value, region string, start, end int, o outcome, ver int64) *write {
	wr := &write{key: key, value: value, op: "put", region: region, epoch: 1, start: at(start), end: at(end), outcome: o}
	if value == "" {
		wr.op = "delete"
	}
	if ver != 0 {
		wr.ver, wr.hasVer = version{wall: ver, region: region}, true
	}
	return wr
}

// TestOracle checks the oracle on hand-made histories: it accepts what
// last-writer-wins allows and names what it does not.
func TestOracle(t *testing.T) {
	regions := []string{"a", "b"}
	for _, tc := range []struct {
		name   string
		ws     []*write
		items  map[string]regionItems
		exact  int
		wantOK bool
		want   string // part of the first problem
	}{{
		name:   "greatest version wins",
		ws:     []*write{w("k", "1", "a", 0, 1, acked, 10), w("k", "2", "b", 0, 1, acked, 20)},
		items:  map[string]regionItems{"a": {"k": "2"}, "b": {"k": "2"}},
		exact:  1,
		wantOK: true,
	}, {
		name:  "a lower version wins in one region",
		ws:    []*write{w("k", "1", "a", 0, 1, acked, 10), w("k", "2", "b", 0, 1, acked, 20)},
		items: map[string]regionItems{"a": {"k": "1"}, "b": {"k": "2"}},
		exact: 1,
		want:  `a: key k holds v="1"`,
	}, {
		name:  "a deleted item comes back",
		ws:    []*write{w("k", "1", "a", 0, 1, acked, 10), w("k", "", "b", 0, 1, acked, 20)},
		items: map[string]regionItems{"a": {"k": "1"}, "b": {}},
		exact: 1,
		want:  "want delete",
	}, {
		name:  "an acknowledged write is lost",
		ws:    []*write{w("k", "1", "a", 0, 1, acked, 10)},
		items: map[string]regionItems{"a": {}, "b": {}},
		exact: 1,
		want:  "a: key k holds nothing",
	}, {
		name:  "never written",
		ws:    []*write{w("k", "1", "a", 0, 1, acked, 10)},
		items: map[string]regionItems{"a": {"k": "1", "x": "9"}, "b": {"k": "1"}},
		exact: 1,
		want:  "never written",
	}, {
		name:   "a refused write never wins; absent is right with no acknowledged write",
		ws:     []*write{w("k", "1", "a", 0, 1, notApplied, 0)},
		items:  map[string]regionItems{"a": {}, "b": {}},
		exact:  1,
		wantOK: true,
	}, {
		name:  "a refused write is found",
		ws:    []*write{w("k", "1", "a", 0, 1, notApplied, 0)},
		items: map[string]regionItems{"a": {"k": "1"}, "b": {"k": "1"}},
		exact: 1,
		want:  "refused",
	}, {
		name:   "a write of unknown outcome may win over an older acknowledged one",
		ws:     []*write{w("k", "1", "a", 0, 1, acked, 10), w("k", "2", "b", 5, 6, unknown, 0)},
		items:  map[string]regionItems{"a": {"k": "2"}, "b": {"k": "2"}},
		wantOK: true,
	}, {
		name: "but not over a write of a later process of its region",
		ws: []*write{w("k", "2", "a", 0, 1, unknown, 0),
			func() *write { x := w("k", "3", "a", 5, 6, acked, 10); x.epoch = 2; return x }()},
		items: map[string]regionItems{"a": {"k": "2"}, "b": {"k": "2"}},
		exact: 1,
		want:  `holds v="2"`,
	}, {
		name:  "a batch write is overtaken by a later write in its region",
		ws:    []*write{w("k", "1", "a", 0, 1, acked, 0), w("k", "2", "a", 2, 3, acked, 10)},
		items: map[string]regionItems{"a": {"k": "1"}, "b": {"k": "1"}},
		exact: 1,
		want:  `holds v="1"`,
	}, {
		name:   "a batch write in another region may win",
		ws:     []*write{w("k", "1", "a", 0, 1, acked, 0), w("k", "2", "b", 2, 3, acked, 10)},
		items:  map[string]regionItems{"a": {"k": "1"}, "b": {"k": "1"}},
		wantOK: true,
	}, {
		name:  "versions against real time in one region",
		ws:    []*write{w("k", "1", "a", 0, 1, acked, 20), w("k", "2", "a", 2, 3, acked, 10)},
		items: map[string]regionItems{"a": {"k": "1"}, "b": {"k": "1"}},
		want:  "acknowledged before",
	}, {
		name:   "two items may share a version",
		ws:     []*write{w("k", "1", "a", 0, 1, acked, 10), w("j", "2", "a", 0, 1, acked, 10)},
		items:  map[string]regionItems{"a": {"k": "1", "j": "2"}, "b": {"k": "1", "j": "2"}},
		exact:  2,
		wantOK: true,
	}, {
		name:  "one item may not",
		ws:    []*write{w("k", "1", "a", 0, 1, acked, 10), w("k", "2", "a", 0, 1, acked, 10)},
		items: map[string]regionItems{"a": {"k": "1"}, "b": {"k": "1"}},
		want:  "acknowledged twice",
	}} {
		t.Run(tc.name, func(t *testing.T) {
			l := &writeLog{ws: tc.ws}
			res := l.check(regions, tc.items)
			if tc.wantOK != (len(res.problems) == 0) {
				t.Fatalf("problems = %q, want ok=%v", res.problems, tc.wantOK)
			}
			if !tc.wantOK && !strings.Contains(res.problems[0], tc.want) {
				t.Errorf("first problem %q does not contain %q", res.problems[0], tc.want)
			}
			if tc.exact != 0 && res.exact != tc.exact {
				t.Errorf("exact = %d, want %d (ambiguous %d)", res.exact, tc.exact, res.ambiguous)
			}
		})
	}
}
