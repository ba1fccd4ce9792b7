package chaos

import (
	"slices"
	"testing"
	"time"
)

// TestSchedule checks that a seed gives one schedule, within its bounds.
func TestSchedule(t *testing.T) {
	regions := regionNames[:3]
	const d = 3 * time.Minute
	for seed := range uint64(50) {
		s := Schedule(seed, regions, d, FaultKinds, 2)
		if !slices.Equal(s, Schedule(seed, regions, d, FaultKinds, 2)) {
			t.Fatalf("seed %d: two schedules differ", seed)
		}
		if len(s) < 10 {
			t.Errorf("seed %d: only %d faults in %v", seed, len(s), d)
		}
		final := 0
		for i, f := range s {
			if f.At < 0 || f.At >= d || f.For < 0 {
				t.Errorf("seed %d: fault %v out of the run", seed, f)
			}
			if f.For == 0 {
				final++
			}
			if i > 0 && s[i-1].At > f.At {
				t.Errorf("seed %d: not sorted by start: %v after %v", seed, f, s[i-1])
			}
			// When f starts, at most 2 faults are in force, f included,
			// and no other process fault.
			inForce, procs := 0, 0
			for _, g := range s {
				end := g.until()
				if g.process() {
					end += restartMargin
				}
				if g.At <= f.At && f.At < end {
					inForce++
					if g.process() {
						procs++
					}
				}
			}
			if inForce > 2 || procs > 1 {
				t.Errorf("seed %d: %d faults (%d stopping a process) in force at %v", seed, inForce, procs, f)
			}
			if f.Kind == FaultCut && (f.Source == f.Region || f.Source == "") {
				t.Errorf("seed %d: cut %v", seed, f)
			}
		}
		if final != 1 {
			t.Errorf("seed %d: %d faults in force when the traffic stops, want 1", seed, final)
		}
	}
	for _, f := range Schedule(1, regions, d, []string{FaultCut}, 2) {
		if f.Kind != FaultCut {
			t.Errorf("kinds [cut] scheduled %v", f)
		}
	}
	if s := Schedule(1, regions, d, []string{}, 2); len(s) != 0 {
		t.Errorf("no kinds scheduled %v", s)
	}
}
