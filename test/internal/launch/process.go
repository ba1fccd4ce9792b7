package launch

import (
	"bufio"
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Defaults of Options and CommandOptions.
const (
	// DefaultRegion is the --region of a node whose Options name none.
	DefaultRegion = "us-east-1"
	// DefaultReadyTimeout bounds the readiness wait that follows the
	// listening lines.
	DefaultReadyTimeout = 30 * time.Second
	// DefaultStopTimeout is how long Stop waits after SIGTERM before it
	// sends SIGKILL.
	DefaultStopTimeout = 15 * time.Second
	// LinesTimeout bounds the wait for the lines a process prints on
	// stdout when it is up (the build is done by then: a node prints
	// them within a second or two).
	LinesTimeout = 60 * time.Second
)

// logTailBytes is how much of the log LogTail returns.
const logTailBytes = 4096

// ReadyFunc reports, with nil, that p is ready to be used. Start and
// StartCommand call it from the starting goroutine until it returns nil,
// the process exits, the ready timeout passes or ctx is done, backing off
// from 5ms to 200ms between calls. It may return Permanent(err) to stop
// the wait at once.
type ReadyFunc func(ctx context.Context, p *Process) error

// Permanent marks err, returned by a ReadyFunc, as final: the process will
// never be ready, and Start kills it and returns err without waiting out
// the timeout.
func Permanent(err error) error { return permanentError{err} }

type permanentError struct{ error }

func (e permanentError) Unwrap() error { return e.error }

// Options says how Start runs `concord serve`. The zero value, but for
// DataDir, works.
type Options struct {
	// Region is --region. Default DefaultRegion.
	Region string
	// DataDir is --data. Required: a node started by a test program
	// never writes into the working directory.
	DataDir string
	// Args are more flags for `concord serve`. They come after the
	// package's own (--region, --data, --listen 127.0.0.1:0,
	// --nats-listen 127.0.0.1:0), so that they win.
	Args []string
	// LogPath is the file the node's stderr is appended to, created if
	// missing; each start first writes a "==== start" line. Default: the
	// output is discarded.
	LogPath string
	// Ready is the readiness check that follows the listening lines.
	// Default: GET / answers 200 (a TLS certificate is not verified).
	Ready ReadyFunc
	// ReadyTimeout bounds the readiness wait. Default DefaultReadyTimeout.
	ReadyTimeout time.Duration
	// StopTimeout is how long Stop waits after SIGTERM before SIGKILL.
	// Default DefaultStopTimeout.
	StopTimeout time.Duration
}

// CommandOptions says how StartCommand runs a command. The zero value
// works.
type CommandOptions struct {
	// Name names the process in errors. Default: the command's base name.
	Name string
	// LogPath is the file the command's stderr, and its stdout after
	// Lines, are appended to, created if missing; each start first writes
	// a "==== start" line. Default: the output is discarded.
	LogPath string
	// Lines is how many lines StartCommand waits for on stdout (for at
	// most LinesTimeout) before Ready; Process.Lines returns them.
	// Default 0: stdout goes to the log.
	Lines int
	// Ready is the readiness check after the lines. Default: none.
	Ready ReadyFunc
	// ReadyTimeout bounds the readiness wait. Default DefaultReadyTimeout.
	ReadyTimeout time.Duration
	// StopTimeout is how long Stop waits after SIGTERM before SIGKILL.
	// Default DefaultStopTimeout.
	StopTimeout time.Duration
}

// Process is one child process started by Start or StartCommand, in a
// process group of its own (its PID is the group's ID). Its methods may
// be called from any goroutine.
type Process struct {
	name        string
	cmd         *exec.Cmd
	logPath     string
	dataDir     string
	stopTimeout time.Duration
	lines       []string
	// url, addr and natsURL are what a node printed (Start only).
	url, addr, natsURL string
	// restart starts the same node again (Start only).
	restart func(ctx context.Context) (*Process, error)

	exited  chan struct{} // closed when the process has exited
	waitErr error         // valid once exited is closed

	stopOnce sync.Once
	stopErr  error // the first Stop's result
}

// Start runs `bin serve` with opts, waits for the two lines it prints on
// stdout ("listening on http(s)://HOST:PORT", "nats on URL"), then until
// opts.Ready (by default GET / answering 200) is satisfied, and returns
// the running node. On any failure it kills the process and returns an
// error that ends with the tail of the log. ctx bounds the start only:
// the node outlives it, until Stop or Kill.
func Start(ctx context.Context, bin string, opts Options) (*Process, error) {
	if opts.DataDir == "" {
		return nil, errors.New("launch: Options.DataDir is required")
	}
	region := opts.Region
	if region == "" {
		region = DefaultRegion
	}
	args := append([]string{"serve", "--region", region, "--data", opts.DataDir,
		"--listen", "127.0.0.1:0", "--nats-listen", "127.0.0.1:0"}, opts.Args...)
	ready := opts.Ready
	if ready == nil {
		ready = answers200
	}
	p, err := start(ctx, exec.Command(bin, args...), CommandOptions{
		Name:         "concord " + region,
		LogPath:      opts.LogPath,
		Lines:        2,
		Ready:        ready,
		ReadyTimeout: opts.ReadyTimeout,
		StopTimeout:  opts.StopTimeout,
	}, func(p *Process) error {
		p.dataDir = opts.DataDir
		p.restart = func(ctx context.Context) (*Process, error) { return Start(ctx, bin, opts) }
		url, ok1 := strings.CutPrefix(p.lines[0], "listening on ")
		scheme, addr, ok2 := strings.Cut(url, "://")
		natsURL, ok3 := strings.CutPrefix(p.lines[1], "nats on ")
		if !ok1 || !ok2 || scheme != "http" && scheme != "https" || !ok3 || natsURL == "" {
			return fmt.Errorf("stdout = %q, %q; want \"listening on http(s)://HOST:PORT\", \"nats on URL\"", p.lines[0], p.lines[1])
		}
		p.url, p.addr, p.natsURL = url, addr, natsURL
		return nil
	})
	return p, err
}

// StartCommand starts cmd (not yet started, with Stdout, Stderr and
// SysProcAttr's process group and parent-death fields left to this
// package) as a Process, waits for opts.Lines lines on stdout and then
// for opts.Ready, and returns it. On any failure it kills the process
// group and returns an error that ends with the tail of the log.
func StartCommand(ctx context.Context, cmd *exec.Cmd, opts CommandOptions) (*Process, error) {
	return start(ctx, cmd, opts, nil)
}

// start is Start and StartCommand: parse, if not nil, reads what the
// process printed before the readiness wait.
func start(ctx context.Context, cmd *exec.Cmd, o CommandOptions, parse func(*Process) error) (*Process, error) {
	if o.Name == "" {
		o.Name = filepath.Base(cmd.Path)
	}
	if o.ReadyTimeout <= 0 {
		o.ReadyTimeout = DefaultReadyTimeout
	}
	if o.StopTimeout <= 0 {
		o.StopTimeout = DefaultStopTimeout
	}
	p := &Process{name: o.Name, cmd: cmd, logPath: o.LogPath, stopTimeout: o.StopTimeout, exited: make(chan struct{})}
	var logf *os.File
	if o.LogPath != "" {
		f, err := os.OpenFile(o.LogPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
		if err != nil {
			return nil, fmt.Errorf("launch: %s: %w", o.Name, err)
		}
		logf = f
		fmt.Fprintf(logf, "==== start %s %s\n", o.Name, time.Now().Format(time.RFC3339Nano))
	}
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true // Stop and Kill signal the group
	setPdeathsig(cmd.SysProcAttr)
	if logf != nil { // else the output goes to /dev/null (a nil *os.File would close the descriptor)
		cmd.Stderr = logf
		cmd.Stdout = logf // replaced by the pipe if Lines > 0
	}
	var stdout io.Reader
	if o.Lines > 0 {
		cmd.Stdout = nil
		r, err := cmd.StdoutPipe()
		if err != nil {
			closeFile(logf)
			return nil, fmt.Errorf("launch: %s: %w", o.Name, err)
		}
		stdout = r
	}
	if err := cmd.Start(); err != nil {
		closeFile(logf)
		return nil, fmt.Errorf("launch: start %s: %w", o.Name, err)
	}
	wd, err := watchGroup(cmd.Process.Pid)
	if err != nil {
		p.signal(syscall.SIGKILL)
		_ = cmd.Wait()
		closeFile(logf)
		return nil, err
	}
	register(p)
	go func() { // ends when the process exits
		p.waitErr = cmd.Wait()
		// Whatever is left in the group (npx's node, when npx exits
		// first) goes with its leader, at once: the group's ID may be
		// reused once it is empty.
		p.signal(syscall.SIGKILL)
		wd.stop()
		closeFile(logf)
		close(p.exited)
	}()
	fail := func(format string, args ...any) (*Process, error) {
		p.Kill()
		return nil, fmt.Errorf("launch: %s %s\n%s", o.Name, fmt.Sprintf(format, args...), p.LogTail())
	}
	if o.Lines > 0 {
		lines := make(chan []string, 1)
		go func() { // ends when the process's stdout closes
			r := bufio.NewReader(stdout)
			var ls []string
			for range o.Lines {
				l, err := r.ReadString('\n')
				if err != nil {
					break
				}
				ls = append(ls, strings.TrimSpace(l))
			}
			lines <- ls
			io.Copy(io.Discard, r) // keep draining so the process never blocks on stdout
		}()
		timer := time.NewTimer(LinesTimeout)
		defer timer.Stop()
		select {
		case p.lines = <-lines:
		case <-p.exited:
			return fail("exited before printing its %d stdout lines: %v", o.Lines, p.waitErr)
		case <-timer.C:
			return fail("printed no %d stdout lines within %v", o.Lines, LinesTimeout)
		case <-ctx.Done():
			return fail("not started: %v", ctx.Err())
		}
		if len(p.lines) < o.Lines { // stdout closed: the process is exiting, most likely
			exitTimer := time.NewTimer(5 * time.Second)
			defer exitTimer.Stop()
			select {
			case <-p.exited:
				return fail("exited before printing its %d stdout lines (printed %q): %v", o.Lines, p.lines, p.waitErr)
			case <-exitTimer.C:
				return fail("closed stdout after %d of %d lines: %q", len(p.lines), o.Lines, p.lines)
			}
		}
	}
	if parse != nil {
		if err := parse(p); err != nil {
			return fail("%v", err)
		}
	}
	if o.Ready != nil {
		if err := p.waitReady(ctx, o.Ready, o.ReadyTimeout); err != nil {
			return fail("not ready: %v", err)
		}
	}
	return p, nil
}

// waitReady calls ready until it returns nil, returns a Permanent error,
// the process exits, timeout passes or ctx is done.
func (p *Process) waitReady(ctx context.Context, ready ReadyFunc, timeout time.Duration) error {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	wait := 5 * time.Millisecond
	for {
		err := ready(rctx, p)
		if err == nil {
			return nil
		}
		var perm permanentError
		if errors.As(err, &perm) {
			return perm.error
		}
		timer := time.NewTimer(wait)
		select {
		case <-p.exited:
			timer.Stop()
			return fmt.Errorf("exited: %v (last check: %v)", p.waitErr, err)
		case <-rctx.Done():
			timer.Stop()
			if ctx.Err() != nil {
				return ctx.Err()
			}
			return fmt.Errorf("not within %v: %w", timeout, err)
		case <-timer.C:
		}
		wait = min(2*wait, 200*time.Millisecond)
	}
}

// readyClient is the client of the readiness checks: it does not verify
// certificates (the tests that start an HTTPS node check it themselves)
// and keeps no idle connections to nodes that will be stopped.
var readyClient = &http.Client{Transport: &http.Transport{
	TLSClientConfig:   &tls.Config{InsecureSkipVerify: true},
	DisableKeepAlives: true,
}}

// answers200 is Start's default ReadyFunc: GET / answers 200.
func answers200(ctx context.Context, p *Process) error {
	code, err := get(ctx, p.URL()+"/")
	if err != nil {
		return err
	}
	if code != http.StatusOK {
		return fmt.Errorf("GET / = %d", code)
	}
	return nil
}

// HTTPReady returns a ReadyFunc satisfied once GET url/ gets any HTTP
// answer, for servers other than Concord.
func HTTPReady(url string) ReadyFunc {
	return func(ctx context.Context, _ *Process) error {
		_, err := get(ctx, url+"/")
		return err
	}
}

func get(ctx context.Context, url string) (int, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return 0, Permanent(err)
	}
	resp, err := readyClient.Do(req)
	if err != nil {
		return 0, err
	}
	io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, nil
}

func closeFile(f *os.File) {
	if f != nil {
		f.Close()
	}
}

// Name is the process's name in errors: "concord REGION" for a node.
func (p *Process) Name() string { return p.name }

// PID is the process's ID, which is also its process group's.
func (p *Process) PID() int { return p.cmd.Process.Pid }

// URL is the HTTP(S) URL of a node or of dynalite,
// "http://127.0.0.1:PORT" ("" for StartCommand's processes).
func (p *Process) URL() string { return p.url }

// Addr is URL's HOST:PORT.
func (p *Process) Addr() string { return p.addr }

// NATSURL is the NATS URL a node printed: its embedded server's
// "nats://127.0.0.1:PORT", or --nats-url.
func (p *Process) NATSURL() string { return p.natsURL }

// DataDir is a node's --data.
func (p *Process) DataDir() string { return p.dataDir }

// LogPath is the file the process logs to ("" if none).
func (p *Process) LogPath() string { return p.logPath }

// Lines are the stdout lines the process printed first, trimmed.
func (p *Process) Lines() []string { return p.lines }

// Exited is closed when the process has exited.
func (p *Process) Exited() <-chan struct{} { return p.exited }

// Err waits for the process to exit and returns its exit error (nil for
// status 0).
func (p *Process) Err() error {
	<-p.exited
	return p.waitErr
}

// LogTail returns the last 4 KiB of the log.
func (p *Process) LogTail() string {
	if p.logPath == "" {
		return ""
	}
	b, _ := os.ReadFile(p.logPath)
	if len(b) > logTailBytes {
		b = b[len(b)-logTailBytes:]
	}
	return string(b)
}

// Stop sends SIGTERM to the process group and waits up to the stop
// timeout for the process to exit, then sends SIGKILL (whatever is left
// in the group is killed when the process exits). It returns an error unless the process
// exited with status 0 within the timeout: also when it had exited before
// Stop, or was killed. Later calls, and calls after Kill, return the
// first call's result (nil after Kill).
func (p *Process) Stop() error {
	p.stopOnce.Do(func() {
		defer unregister(p)
		select {
		case <-p.exited:
			p.stopErr = fmt.Errorf("launch: %s had already exited: %v", p.name, p.waitErr)
			return
		default:
		}
		p.signal(syscall.SIGTERM)
		timer := time.NewTimer(p.stopTimeout)
		defer timer.Stop()
		select {
		case <-p.exited:
			if p.waitErr != nil {
				p.stopErr = fmt.Errorf("launch: %s: exit after SIGTERM: %w", p.name, p.waitErr)
			}
		case <-timer.C:
			p.signal(syscall.SIGKILL)
			<-p.exited
			p.stopErr = fmt.Errorf("launch: %s did not exit within %v of SIGTERM; killed", p.name, p.stopTimeout)
		}
	})
	return p.stopErr
}

// Kill sends SIGKILL to the process group and waits for the process to
// exit, as a crash would (durability tests). It does nothing after Stop
// or Kill.
func (p *Process) Kill() {
	p.stopOnce.Do(func() {
		defer unregister(p)
		p.signal(syscall.SIGKILL)
		<-p.exited
	})
}

// Restart kills the node if it still runs and starts it again with the
// same binary and Options: the same data directory, log (appended to) and
// flags, on new ports. It is for processes from Start only.
func (p *Process) Restart(ctx context.Context) (*Process, error) {
	if p.restart == nil {
		return nil, fmt.Errorf("launch: %s was not started by Start and cannot be restarted", p.name)
	}
	p.Kill()
	return p.restart(ctx)
}

// signal sends sig to the process group. The group outlives its leader
// while any member lives, and its ID is not reused until then.
func (p *Process) signal(sig syscall.Signal) {
	_ = syscall.Kill(-p.cmd.Process.Pid, sig)
}
