package cli

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/concorddb/concord/region"
)

// Defaults of concord dev.
const (
	// DefaultDevRegions are the regions dev starts.
	DefaultDevRegions = "us-east-1,eu-west-1,ap-southeast-2"
	// DefaultDevBasePort is region 0's DynamoDB port. Region i listens on
	// base+i, the launcher (status and dashboard) on base+len(regions),
	// and region i's embedded NATS on base+DevNATSPortOffset+i.
	DefaultDevBasePort = 8000
	// DevNATSPortOffset separates the NATS ports from the HTTP ports.
	DevNATSPortOffset = 100
	// devStartTimeout bounds how long dev waits for a region to start.
	devStartTimeout = 60 * time.Second
	// devStopTimeout bounds how long dev waits for a region to stop after
	// SIGTERM before it kills it.
	devStopTimeout = 30 * time.Second
)

// devOptions is the parsed command line of concord dev.
type devOptions struct {
	regions  []string
	basePort int
	dataDir  string
	logLevel string
	load     bool    // drive a write load once the regions are up
	loadRate float64 // its writes per second
}

// parseDev parses concord dev's flags. It reports errors on stderr and
// returns them; they are usage errors.
func parseDev(args []string, stderr io.Writer) (devOptions, error) {
	bad := func(format string, a ...any) error {
		err := fmt.Errorf(format, a...)
		fmt.Fprintf(stderr, "concord dev: %v\n", err)
		return err
	}
	fs := flag.NewFlagSet("concord dev", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o devOptions
	var regions string
	fs.StringVar(&regions, "regions", DefaultDevRegions, "comma-separated regions to run, one process each")
	fs.IntVar(&o.basePort, "base-port", DefaultDevBasePort,
		"region i serves DynamoDB on base+i, the launcher on base+len(regions), region i's NATS on base+"+strconv.Itoa(DevNATSPortOffset)+"+i")
	fs.StringVar(&o.dataDir, "data", region.DefaultDataRoot, "data directory; each region keeps DIR/<region> (a second dev on it resumes)")
	fs.StringVar(&o.logLevel, "log-level", "info", "regions' log level: debug, info, warn or error")
	fs.BoolVar(&o.load, "load", false, "once the regions are up, write to all of them (table "+DefaultLoadTable+", as concord load does) so the dashboard moves")
	fs.Float64Var(&o.loadRate, "load-rate", DefaultDevLoadRate, "writes per second of --load, all regions together")
	if err := fs.Parse(args); err != nil {
		return o, err
	}
	if fs.NArg() > 0 {
		return o, bad("unexpected arguments %q", fs.Args())
	}
	seen := map[string]bool{}
	for _, r := range strings.Split(regions, ",") {
		r = strings.TrimSpace(r)
		if !region.ValidRegion(r) {
			return o, bad("invalid region %q in --regions", r)
		}
		if seen[r] {
			return o, bad("region %q listed twice in --regions", r)
		}
		seen[r] = true
		o.regions = append(o.regions, r)
	}
	if o.basePort <= 0 || o.basePort+DevNATSPortOffset+len(o.regions) > 65535 {
		return o, bad("invalid --base-port %d: want 1..%d", o.basePort, 65535-DevNATSPortOffset-len(o.regions))
	}
	if len(o.regions) > DevNATSPortOffset-1 {
		return o, bad("too many regions: at most %d", DevNATSPortOffset-1)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(o.logLevel)); err != nil {
		return o, bad("invalid --log-level %q: use debug, info, warn or error", o.logLevel)
	}
	if o.dataDir == "" {
		return o, bad("--data is empty")
	}
	if !(o.loadRate > 0) || o.loadRate > 1e6 {
		return o, bad("invalid --load-rate %v: want 0 < rate <= 1000000", o.loadRate)
	}
	return o, nil
}

// devRegion is one child process.
type devRegion struct {
	name       string
	listen     string // DynamoDB HTTP address
	natsListen string

	cmd    *exec.Cmd
	ready  chan struct{} // closed once both startup lines were read
	exited chan struct{} // closed when the process has been waited for
	err    error         // Wait's result, set before exited closes

	// mu protects endpoint and natsURL, read from the child's stdout.
	mu       sync.Mutex
	endpoint string
	natsURL  string
}

// urls returns the endpoint and NATS URL the child reported.
func (r *devRegion) urls() (string, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.endpoint, r.natsURL
}

// stdoutLine handles one line of the child's stdout (see runServe).
func (r *devRegion) stdoutLine(line string, other io.Writer) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if v, ok := strings.CutPrefix(line, "listening on "); ok && r.endpoint == "" {
		r.endpoint = v
	} else if v, ok := strings.CutPrefix(line, "nats on "); ok && r.natsURL == "" {
		r.natsURL = v
	} else {
		fmt.Fprintf(other, "[%s] %s\n", r.name, line)
		return
	}
	if r.endpoint != "" && r.natsURL != "" {
		close(r.ready)
	}
}

// runDev runs several regions as child processes of this executable, each
// replicating from all others, until ctx is done.
func runDev(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseDev(args, stderr)
	if err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	errw := &lockedWriter{w: stderr}
	exe, err := os.Executable()
	if err != nil {
		fmt.Fprintf(errw, "concord dev: cannot find own executable: %v\n", err)
		return ExitError
	}
	if err := os.MkdirAll(o.dataDir, 0o755); err != nil {
		fmt.Fprintf(errw, "concord dev: %v\n", err)
		return ExitError
	}
	launcherAddr := net.JoinHostPort("127.0.0.1", strconv.Itoa(o.basePort+len(o.regions)))
	ln, err := net.Listen("tcp", launcherAddr)
	if err != nil {
		fmt.Fprintf(errw, "concord dev: launcher listen: %v\n", err)
		return ExitError
	}

	regions := make([]*devRegion, len(o.regions))
	for i, name := range o.regions {
		regions[i] = &devRegion{
			name:       name,
			listen:     net.JoinHostPort("127.0.0.1", strconv.Itoa(o.basePort+i)),
			natsListen: net.JoinHostPort("127.0.0.1", strconv.Itoa(o.basePort+DevNATSPortOffset+i)),
			ready:      make(chan struct{}),
			exited:     make(chan struct{}),
		}
	}
	var stopping atomic.Bool
	var unexpected atomic.Int32
	var started []*devRegion
	stopAll := func() {
		stopping.Store(true)
		for _, r := range started {
			select {
			case <-r.exited:
				continue
			default:
			}
			_ = r.cmd.Process.Signal(syscall.SIGTERM)
		}
		deadline := time.After(devStopTimeout)
		for _, r := range started {
			select {
			case <-r.exited:
			case <-deadline:
				fmt.Fprintf(errw, "concord dev: region %s did not stop, killing it\n", r.name)
				_ = r.cmd.Process.Kill()
				<-r.exited
			}
		}
	}
	for _, r := range regions {
		args := []string{"serve", "--region", r.name, "--data", filepath.Join(o.dataDir, r.name),
			"--listen", r.listen, "--nats-listen", r.natsListen, "--log-level", o.logLevel}
		for _, p := range regions {
			if p != r {
				args = append(args, "--peer", p.name+"=nats://"+p.natsListen)
			}
		}
		r.cmd = exec.Command(exe, args...)
		r.cmd.Stdout = &lineWriter{line: func(s string) { r.stdoutLine(s, errw) }}
		r.cmd.Stderr = &lineWriter{line: func(s string) { fmt.Fprintf(errw, "[%s] %s\n", r.name, s) }}
		r.cmd.WaitDelay = 5 * time.Second
		// If the launcher dies without stopping the regions (SIGKILL),
		// the kernel sends each SIGTERM. (It does so when the thread that
		// forked the child exits; Go retires no thread that no goroutine
		// locked, so that is the process's lifetime.)
		stopWithParent(r.cmd)
		if err := r.cmd.Start(); err != nil {
			fmt.Fprintf(errw, "concord dev: start region %s: %v\n", r.name, err)
			stopAll()
			_ = ln.Close()
			return ExitError
		}
		started = append(started, r)
		go func() { // cli.dev: wait for a region process; ends when it exits
			r.err = r.cmd.Wait()
			close(r.exited)
			// A Ctrl-C in a terminal signals the children too: an exit
			// after ours was asked for is expected.
			if !stopping.Load() && ctx.Err() == nil {
				unexpected.Add(1)
				fmt.Fprintf(errw, "concord dev: region %s exited unexpectedly: %v\n", r.name, exitText(r.err))
			}
		}()
	}

	// Wait until every region reported its addresses.
	timeout := time.After(devStartTimeout)
	for _, r := range regions {
		select {
		case <-r.ready:
		case <-r.exited:
			fmt.Fprintf(errw, "concord dev: region %s failed to start\n", r.name)
			stopAll()
			_ = ln.Close()
			return ExitError
		case <-timeout:
			fmt.Fprintf(errw, "concord dev: region %s did not start within %v\n", r.name, devStartTimeout)
			stopAll()
			_ = ln.Close()
			return ExitError
		case <-ctx.Done():
			stopAll()
			_ = ln.Close()
			return ExitOK
		}
	}

	l := &launcher{regions: regions, client: &http.Client{Timeout: 2 * time.Second}}
	srv := &http.Server{Handler: l.handler(), ReadHeaderTimeout: 10 * time.Second}
	served := make(chan struct{})
	go func() { // cli.dev: launcher HTTP, stopped by Shutdown below
		defer close(served)
		_ = srv.Serve(ln)
	}()
	for _, r := range regions {
		ep, nu := r.urls()
		fmt.Fprintf(stdout, "region %s endpoint %s nats %s\n", r.name, ep, nu)
	}
	fmt.Fprintf(stdout, "dashboard http://%s%s\n", ln.Addr(), region.DashboardPath)

	loadCtx, stopLoad := context.WithCancel(ctx)
	defer stopLoad()
	loadDone := make(chan struct{})
	if o.load {
		lo := loadOptions{rate: o.loadRate, table: DefaultLoadTable, keys: DefaultDevLoadKeys, quiet: true}
		for _, r := range regions {
			ep, _ := r.urls()
			lo.endpoints = append(lo.endpoints, ep)
		}
		fmt.Fprintf(errw, "concord dev: writing %.0f items/s into table %s across all regions (--load)\n", lo.rate, lo.table)
		go func() { // cli.dev: --load, stopped by stopLoad below
			defer close(loadDone)
			st, err := generateLoad(loadCtx, lo, errw)
			if err != nil {
				fmt.Fprintf(errw, "concord dev: load stopped: %v\n", err)
				return
			}
			fmt.Fprintf(errw, "concord dev: load: %s\n", st)
		}()
	} else {
		close(loadDone)
	}
	fmt.Fprintf(errw, "\n    Dashboard: http://%s%s\n\n", ln.Addr(), region.DashboardPath)

	allExited := make(chan struct{})
	go func() { // cli.dev: notices when every region has exited
		for _, r := range regions {
			<-r.exited
		}
		close(allExited)
	}()
	select {
	case <-ctx.Done():
	case <-allExited:
		fmt.Fprintln(errw, "concord dev: every region has exited")
	}
	stopLoad()
	<-loadDone
	stopAll()
	<-allExited
	sctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	_ = srv.Shutdown(sctx)
	cancel()
	<-served
	if unexpected.Load() > 0 {
		return ExitError
	}
	return ExitOK
}

// exitText describes a child's exit.
func exitText(err error) string {
	if err == nil {
		return "exit status 0"
	}
	return err.Error()
}

// lineWriter calls line for each complete line written to it; a last
// partial line is dropped when the writer is abandoned. exec.Cmd writes to
// it from one goroutine.
type lineWriter struct {
	buf  []byte
	line func(string)
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := bytes.IndexByte(w.buf, '\n')
		if i < 0 {
			break
		}
		w.line(string(bytes.TrimRight(w.buf[:i], "\r")))
		w.buf = w.buf[i+1:]
	}
	if len(w.buf) > 64<<10 { // a runaway line: flush it as is
		w.line(string(w.buf))
		w.buf = w.buf[:0]
	}
	return len(p), nil
}

// lockedWriter serialises writes from several goroutines.
type lockedWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *lockedWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}
