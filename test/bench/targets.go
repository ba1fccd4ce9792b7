package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// target is one system under test.
type target struct {
	name     string
	endpoint string
	bare     bool         // answers every operation with a fixed reply
	stop     func() error // nil if nothing to stop
	// pgid is the server's process group, whose CPU time the benchmark
	// reads (0: not known, for -concord-endpoint).
	pgid int
}

// startConcord builds ./cmd/concord (from the module root) and starts
// `concord serve` on a temporary data directory.
func startConcord(ctx context.Context, tmp string, extra []string) (*target, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	bin := filepath.Join(tmp, "concord")
	build := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/concord")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return nil, fmt.Errorf("go build ./cmd/concord: %v\n%s", err, out)
	}
	logf, err := os.Create(filepath.Join(tmp, "concord.log"))
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--region", "us-east-1", "--data", filepath.Join(tmp, "concord-data"), "--listen", "127.0.0.1:0", "--nats-listen", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(bin, args...)
	cmd.Stderr = logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // its own group, for groupCPU
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	lines := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		l, _ := r.ReadString('\n')
		lines <- l
		io.Copy(io.Discard, r)
	}()
	go func() { exited <- cmd.Wait(); logf.Close() }()
	stop := func() error {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case err := <-exited:
			return err
		case <-time.After(15 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
			return fmt.Errorf("concord did not stop within 15s of SIGTERM")
		}
	}
	var line string
	select {
	case line = <-lines:
	case err := <-exited:
		return nil, fmt.Errorf("concord exited: %v (log %s)", err, logf.Name())
	case <-time.After(60 * time.Second):
		stop()
		return nil, fmt.Errorf("concord printed no listening line within 60s")
	}
	addr, ok := strings.CutPrefix(strings.TrimSpace(line), "listening on ")
	if !ok {
		stop()
		return nil, fmt.Errorf("concord's first line is %q", line)
	}
	t := &target{name: "concord", endpoint: addr, stop: stop, pgid: cmd.Process.Pid}
	if err := waitHTTP(ctx, addr, 30*time.Second); err != nil {
		stop()
		return nil, err
	}
	return t, nil
}

func moduleRoot() (string, error) {
	out, err := exec.Command("go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("go env GOMOD: %v", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("run bench inside the concord module")
	}
	return filepath.Dir(gomod), nil
}

// startDynalite runs `npx --yes dynalite` on a free port and waits for it.
func startDynalite(ctx context.Context, tmp string) (*target, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	dir := filepath.Join(tmp, "dynalite")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	logf, err := os.Create(filepath.Join(tmp, "dynalite.log"))
	if err != nil {
		return nil, err
	}
	cmd := exec.Command("npx", "--yes", "dynalite", "--port", strconv.Itoa(port), "--path", dir)
	cmd.Stdout, cmd.Stderr = logf, logf
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // npx forks node: stop the group
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("npx dynalite: %v", err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait(); logf.Close() }()
	stop := func() error {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-exited
		}
		return nil
	}
	endpoint := "http://127.0.0.1:" + strconv.Itoa(port)
	// The first run downloads dynalite; allow for it.
	waitCtx, cancel := context.WithTimeout(ctx, 5*time.Minute)
	defer cancel()
	errc := make(chan error, 1)
	go func() { errc <- waitHTTP(waitCtx, endpoint, 5*time.Minute) }()
	select {
	case err := <-errc:
		if err != nil {
			stop()
			return nil, fmt.Errorf("dynalite: %v (log %s)", err, logf.Name())
		}
	case err := <-exited:
		return nil, fmt.Errorf("dynalite exited: %v (log %s)", err, logf.Name())
	}
	return &target{name: "dynalite", endpoint: endpoint, stop: stop, pgid: cmd.Process.Pid}, nil
}

// bareEnv, when set, makes this program the bare server (serveBare)
// instead of the benchmark.
const bareEnv = "CONCORD_BENCH_SERVE_BARE"

// startBare runs the bare server in a child process (this program again,
// with bareEnv set), as the other targets run in processes of their own:
// it then shares neither the clients' Go runtime nor their garbage
// collector, and its CPU time can be read.
func startBare(ctx context.Context) (*target, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), bareEnv+"=1")
	cmd.Stderr = os.Stderr
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		return nil, err
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	stop := func() error {
		_ = cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-exited:
		case <-time.After(10 * time.Second):
			_ = cmd.Process.Kill()
			<-exited
		}
		return nil
	}
	addr := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		l, _ := r.ReadString('\n')
		addr <- strings.TrimSpace(l)
		io.Copy(io.Discard, r)
	}()
	select {
	case a := <-addr:
		if !strings.HasPrefix(a, "http://") {
			stop()
			return nil, fmt.Errorf("bare server said %q, want its address", a)
		}
		return &target{name: "bare", endpoint: a, bare: true, stop: stop, pgid: cmd.Process.Pid}, nil
	case err := <-exited:
		return nil, fmt.Errorf("bare server exited: %v", err)
	case <-ctx.Done():
		stop()
		return nil, ctx.Err()
	}
}

// serveBare is the bare server: a handler that decodes the JSON body's top
// level and answers a fixed reply with DynamoDB's content type and a correct
// x-amz-crc32. It prints its address, then serves until SIGTERM.
func serveBare() error {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	reply := []byte(`{}`)
	crc := strconv.FormatUint(uint64(crc32.ChecksumIEEE(reply)), 10)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The top level only (the whole body is still scanned and
		// validated): the least any DynamoDB server must do to read a
		// request, so the ceiling is as high as it can be.
		var body map[string]json.RawMessage
		if err := json.NewDecoder(r.Body).Decode(&body); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		w.Header().Set("Content-Type", "application/x-amz-json-1.0")
		w.Header().Set("x-amz-crc32", crc)
		w.Header().Set("x-amzn-RequestId", "bare")
		w.Write(reply)
	})
	srv := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	fmt.Println("http://" + ln.Addr().String())
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, syscall.SIGTERM, os.Interrupt)
	go func() { <-sig; srv.Close() }()
	if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

// waitHTTP polls endpoint until it answers any HTTP response.
func waitHTTP(ctx context.Context, endpoint string, timeout time.Duration) error {
	deadline := time.Now().Add(timeout)
	var last error
	for wait := 10 * time.Millisecond; ; wait = min(wait*2, 500*time.Millisecond) {
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, endpoint+"/", nil)
		resp, err := http.DefaultClient.Do(req)
		if err == nil {
			resp.Body.Close()
			return nil
		}
		last = err
		if time.Now().After(deadline) {
			return fmt.Errorf("%s did not answer within %v: %v", endpoint, timeout, last)
		}
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(wait):
		}
	}
}
