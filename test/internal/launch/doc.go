// Package launch starts and stops the processes Concord's test programs
// run against: `concord serve` nodes, and other servers (dynalite through
// npx, the benchmark's bare server). It owns, in one place, what each
// program used to write for itself: building ./cmd/concord, the flags
// that put a node on ephemeral ports, waiting with a deadline for the
// "listening on http://HOST:PORT" and "nats on nats://HOST:PORT" lines and
// then for the node to answer, the log file, and stopping (SIGTERM, a
// deadline, then SIGKILL) on every exit path.
//
// It is imported by the end-to-end suite (package test), by test/bench and
// by test/compat, and by nothing else; it is internal to test/. It does
// not talk DynamoDB, link regions or read /admin/status: callers do that
// with the URLs a Process reports, and may pass a readiness check of their
// own (Options.Ready).
//
// # Usage
//
//	bin, err := launch.Build(ctx, tmp) // go build ./cmd/concord once
//	p, err := launch.Start(ctx, bin, launch.Options{Region: "eu-west-1", DataDir: dir, LogPath: log})
//	defer p.Stop()
//	client := newClient(p.URL()) // http://127.0.0.1:PORT; p.NATSURL() is nats://127.0.0.1:PORT
//
// StartDynalite starts dynalite through npx on a free port, and
// StartCommand any other command, the same way.
//
// # Every exit path
//
// Every process is started in a process group of its own, and Stop and
// Kill signal the whole group, so that a server's children (npx starts
// node) go with it. If the program that started them dies, even by
// SIGKILL, the group goes too: on Linux the kernel sends its leader
// SIGTERM (Pdeathsig), and everywhere a watchdog (`sh`, one per group,
// reading a pipe that only this program holds) kills the group when the
// pipe closes; the watchdog is needed because npx, killed, leaves node
// running. Until it is stopped, every process is in a registry that
// StopAll stops. A main program therefore
//
//	ctx, cancel := launch.SignalContext(context.Background()) // SIGINT/SIGTERM: cancel ctx and StopAll
//	defer cancel()
//	defer launch.StopAll() // return and panic
//	...
//	launch.Exit(1) // StopAll, then os.Exit: deferred calls do not run on os.Exit
//
// Stop and Kill may be called any number of times, from any goroutine;
// the first call decides, and later calls return its result.
package launch
