package launch

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// fakeEnv makes the test binary a fake server (fake) instead of running
// the tests; its value names the behaviour.
const fakeEnv = "LAUNCH_TEST_FAKE"

func TestMain(m *testing.M) {
	if mode := os.Getenv(fakeEnv); mode != "" {
		os.Exit(fake(mode))
	}
	os.Exit(m.Run())
}

// fake stands in for `concord serve` and other servers:
//
//   - serve: prints the two lines of `concord serve`, answers GET / with
//     200, exits 0 on SIGTERM;
//   - crash: says "boom" on stderr and exits 3;
//   - stubborn: serve, but ignores SIGTERM;
//   - parent: starts `sleep 300` (in its own process group), prints the
//     child's PID, and exits 0 on SIGTERM without stopping it, as npx
//     leaves node;
//   - launcher: starts a parent with StartCommand, prints its PID and the
//     sleep's, and waits to be killed.
func fake(mode string) int {
	sigs := make(chan os.Signal, 1)
	signal.Notify(sigs, syscall.SIGTERM)
	switch mode {
	case "launcher":
		cmd := exec.Command(os.Args[0])
		cmd.Env = append(os.Environ(), fakeEnv+"=parent")
		p, err := StartCommand(context.Background(), cmd, CommandOptions{Lines: 1})
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Printf("%d\n%s\n", p.PID(), p.Lines()[0])
		select {}
	case "crash":
		fmt.Fprintln(os.Stderr, "boom")
		return 3
	case "parent":
		c := exec.Command("sleep", "300")
		if err := c.Start(); err != nil {
			fmt.Fprintln(os.Stderr, err)
			return 1
		}
		fmt.Println(c.Process.Pid)
		<-sigs
		return 0
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	go http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	fmt.Fprintf(os.Stderr, "fake serving %q\n", os.Args[1:])
	fmt.Printf("listening on http://%s\nnats on nats://127.0.0.1:4222\n", ln.Addr())
	for {
		<-sigs
		if mode != "stubborn" {
			return 0
		}
	}
}

// self returns the test binary, which runs as fake with mode.
func self(t *testing.T, mode string) string {
	t.Helper()
	t.Setenv(fakeEnv, mode)
	bin, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return bin
}

func liveCount() int {
	live.mu.Lock()
	defer live.mu.Unlock()
	return len(live.procs)
}

// gone waits until no process has pid.
func gone(t *testing.T, pid int) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for syscall.Kill(pid, 0) == nil {
		if time.Now().After(deadline) {
			t.Fatalf("process %d still runs", pid)
		}
		time.Sleep(10 * time.Millisecond) // polling another process's death
	}
}

func TestLaunchStartStop(t *testing.T) {
	bin := self(t, "serve")
	dir, log := t.TempDir(), filepath.Join(t.TempDir(), "node.log")
	p, err := Start(context.Background(), bin, Options{Region: "eu-west-1", DataDir: dir, LogPath: log, Args: []string{"--pprof"}})
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(p.URL(), "http://127.0.0.1:") || p.URL() != "http://"+p.Addr() {
		t.Errorf("URL %q, Addr %q", p.URL(), p.Addr())
	}
	if p.NATSURL() != "nats://127.0.0.1:4222" || p.DataDir() != dir || p.LogPath() != log || p.Name() != "concord eu-west-1" {
		t.Errorf("NATSURL %q DataDir %q LogPath %q Name %q", p.NATSURL(), p.DataDir(), p.LogPath(), p.Name())
	}
	if liveCount() != 1 {
		t.Errorf("%d live processes, want 1", liveCount())
	}
	if err := p.Stop(); err != nil {
		t.Fatalf("Stop: %v", err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("second Stop: %v", err)
	}
	p.Kill() // no-op
	if liveCount() != 0 || StopAll() != nil {
		t.Errorf("%d live processes after Stop", liveCount())
	}
	want := fmt.Sprintf(`["serve" "--region" "eu-west-1" "--data" %q "--listen" "127.0.0.1:0" "--nats-listen" "127.0.0.1:0" "--pprof"]`, dir)
	if tail := p.LogTail(); !strings.Contains(tail, "==== start concord eu-west-1 ") || !strings.Contains(tail, want) {
		t.Errorf("log:\n%s\nwant the start line and args %s", tail, want)
	}
}

func TestLaunchKillRestart(t *testing.T) {
	bin := self(t, "serve")
	log := filepath.Join(t.TempDir(), "node.log")
	p, err := Start(context.Background(), bin, Options{DataDir: t.TempDir(), LogPath: log})
	if err != nil {
		t.Fatal(err)
	}
	p.Kill()
	if err := p.Err(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("exit after Kill: %v", err)
	}
	if err := p.Stop(); err != nil {
		t.Errorf("Stop after Kill: %v", err)
	}
	p2, err := p.Restart(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer p2.Stop()
	if p2.DataDir() != p.DataDir() || p2.Name() != "concord us-east-1" || p2.PID() == p.PID() {
		t.Errorf("restarted: %q %q pid %d (was %d)", p2.DataDir(), p2.Name(), p2.PID(), p.PID())
	}
	if n := strings.Count(p2.LogTail(), "==== start"); n != 2 {
		t.Errorf("%d start lines in the log, want 2", n)
	}
}

func TestLaunchStartFails(t *testing.T) {
	bin := self(t, "crash")
	_, err := Start(context.Background(), bin, Options{DataDir: t.TempDir(), LogPath: filepath.Join(t.TempDir(), "log")})
	if err == nil || !strings.Contains(err.Error(), "exited before") || !strings.Contains(err.Error(), "boom") {
		t.Errorf("Start = %v, want an early exit with the log", err)
	}
	if _, err := Start(context.Background(), bin, Options{}); err == nil {
		t.Error("Start without DataDir succeeded")
	}
	t.Setenv(fakeEnv, "serve")
	nope := errors.New("nope")
	start := time.Now()
	_, err = Start(context.Background(), bin, Options{DataDir: t.TempDir(),
		Ready: func(context.Context, *Process) error { return Permanent(nope) }})
	if err == nil || !strings.Contains(err.Error(), "not ready: nope") || time.Since(start) > 10*time.Second {
		t.Errorf("Start with a permanent readiness failure = %v after %v", err, time.Since(start))
	}
	if liveCount() != 0 {
		t.Errorf("%d live processes after failed starts", liveCount())
	}
}

func TestLaunchStopTimeout(t *testing.T) {
	bin := self(t, "stubborn")
	p, err := Start(context.Background(), bin, Options{DataDir: t.TempDir(), StopTimeout: 200 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Stop(); err == nil || !strings.Contains(err.Error(), "killed") {
		t.Errorf("Stop = %v, want killed after the timeout", err)
	}
	gone(t, p.PID())
}

func TestLaunchStopAllKillsTheGroup(t *testing.T) {
	bin := self(t, "parent")
	p, err := StartCommand(context.Background(), exec.Command(bin), CommandOptions{Name: "parent", Lines: 1})
	if err != nil {
		t.Fatal(err)
	}
	child, err := strconv.Atoi(p.Lines()[0])
	if err != nil {
		t.Fatalf("line %q: %v", p.Lines()[0], err)
	}
	if err := StopAll(); err != nil {
		t.Errorf("StopAll: %v", err)
	}
	gone(t, p.PID())
	gone(t, child)
	if liveCount() != 0 {
		t.Errorf("%d live processes after StopAll", liveCount())
	}
}

// TestLaunchWatchdog kills a program that started a process whose child
// outlives it (as npx's node outlives npx), and checks both are gone.
func TestLaunchWatchdog(t *testing.T) {
	bin := self(t, "launcher")
	l, err := StartCommand(context.Background(), exec.Command(bin), CommandOptions{Name: "launcher", Lines: 2})
	if err != nil {
		t.Fatal(err)
	}
	var pids []int
	for _, line := range l.Lines() {
		pid, err := strconv.Atoi(line)
		if err != nil {
			t.Fatalf("line %q: %v", line, err)
		}
		pids = append(pids, pid)
	}
	_ = syscall.Kill(l.PID(), syscall.SIGKILL) // the launcher alone, not its group
	<-l.Exited()
	for _, pid := range pids {
		gone(t, pid)
	}
}
