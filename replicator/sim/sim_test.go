package sim

import (
	"flag"
	"fmt"
	"testing"
)

var (
	flagSeeds = flag.Int("sim.seeds", 300, "number of seeds TestSimSeeds runs")
	flagFirst = flag.Uint64("sim.first", 1, "first seed TestSimSeeds runs")
	flagSeed  = flag.Uint64("sim.seed", 0, "run only this seed, printing its schedule")
	flagSteps = flag.Int("sim.steps", 0, "scheduler steps per seed (0: the default)")
	flagDDL   = flag.Bool("sim.ddl", true, "mix CreateTable and DeleteTable into a third of the seeds")
)

// TestSimSeeds runs -sim.seeds seeds (300 by default; -sim.seeds=100000
// for a long run) and fails on the first violation, naming the seed to
// replay with -sim.seed.
func TestSimSeeds(t *testing.T) {
	if *flagSeed != 0 {
		w, err := New(Options{Seed: *flagSeed, Steps: *flagSteps, LateTables: *flagSeed%2 == 0, DDL: *flagDDL && *flagSeed%3 == 0, Logf: t.Logf})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if err := w.Run(); err != nil {
			t.Fatal(err)
		}
		t.Logf("ops: %v", w.Ops())
		return
	}
	total := map[string]int{}
	for seed := *flagFirst; seed < *flagFirst+uint64(*flagSeeds); seed++ {
		w, err := New(Options{Seed: seed, Steps: *flagSteps, LateTables: seed%2 == 0, DDL: *flagDDL && seed%3 == 0})
		if err != nil {
			t.Fatal(err)
		}
		err = w.Run()
		for k, v := range w.Ops() {
			total[k] += v
		}
		w.Close()
		if err != nil {
			t.Fatalf("%v\nreplay: go test ./replicator/sim -run TestSimSeeds -sim.seed=%d -v", err, seed)
		}
	}
	t.Logf("%d seeds, ops: %v", *flagSeeds, total)
}

// TestSimDeterministic checks that a seed replays exactly: two runs of it
// give the same schedule.
func TestSimDeterministic(t *testing.T) {
	run := func() string {
		var log []string
		w, err := New(Options{Seed: 7, Steps: 200, Logf: func(f string, a ...any) { log = append(log, fmt.Sprintf(f, a...)) }})
		if err != nil {
			t.Fatal(err)
		}
		defer w.Close()
		if err := w.Run(); err != nil {
			t.Fatal(err)
		}
		return fmt.Sprint(log)
	}
	if a, b := run(), run(); a != b {
		t.Fatalf("seed 7 ran differently twice")
	}
}

// regressionSeeds are seeds beyond the default range that broke an
// earlier version, each with what it found; TestSimRegressionSeeds runs
// them on every go test.
var regressionSeeds = map[uint64]string{
	20235: "a region added back to a table lost its own writes of the time it was taken out",
	22344: "an incarnation older than one alive in other regions only (foreign here) was created here",
}

func TestSimRegressionSeeds(t *testing.T) {
	for seed, what := range regressionSeeds {
		w, err := New(Options{Seed: seed, LateTables: seed%2 == 0, DDL: seed%3 == 0})
		if err != nil {
			t.Fatal(err)
		}
		err = w.Run()
		w.Close()
		if err != nil {
			t.Errorf("seed %d (%s): %v", seed, what, err)
		}
	}
}
