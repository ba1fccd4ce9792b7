package launch

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/signal"
	"sync"
	"syscall"
)

// live holds every Process started and not yet stopped or killed.
var live struct {
	mu    sync.Mutex // protects procs
	procs map[*Process]struct{}
}

func register(p *Process) {
	live.mu.Lock()
	defer live.mu.Unlock()
	if live.procs == nil {
		live.procs = map[*Process]struct{}{}
	}
	live.procs[p] = struct{}{}
}

func unregister(p *Process) {
	live.mu.Lock()
	defer live.mu.Unlock()
	delete(live.procs, p)
}

// StopAll stops, in parallel, every process this package started that has
// not been stopped or killed yet, and returns their Stop errors joined. It
// may be called any number of times, from any goroutine, also while
// another StopAll runs.
func StopAll() error {
	live.mu.Lock()
	procs := make([]*Process, 0, len(live.procs))
	for p := range live.procs {
		procs = append(procs, p)
	}
	live.mu.Unlock()
	errs := make([]error, len(procs))
	var wg sync.WaitGroup
	for i, p := range procs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[i] = p.Stop()
		}()
	}
	wg.Wait()
	return errors.Join(errs...)
}

// Exit runs StopAll, reporting its error on stderr, then os.Exit(code):
// for a main program's exit paths, where deferred calls do not run.
func Exit(code int) {
	if err := StopAll(); err != nil {
		fmt.Fprintln(os.Stderr, "launch: stop:", err)
	}
	os.Exit(code)
}

// SignalContext returns a copy of parent that is cancelled on the first
// SIGINT or SIGTERM, which also runs StopAll at once, so that the
// processes go even while the program is still unwinding (its own Stop
// calls then return StopAll's results). After that first signal both
// signals have their default effect again: a second one ends the program
// at once (and on Linux the kernel then stops its children). cancel
// releases the signal handler; call it when main returns.
func SignalContext(parent context.Context) (ctx context.Context, cancel context.CancelFunc) {
	ctx, cancel = context.WithCancel(parent)
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	go func() { // ends with the first signal or with ctx
		defer signal.Stop(sigs)
		select {
		case sig := <-sigs:
			signal.Stop(sigs)
			cancel()
			fmt.Fprintf(os.Stderr, "launch: %v: stopping the servers\n", sig)
			_ = StopAll()
		case <-ctx.Done():
		}
	}()
	return ctx, cancel
}
