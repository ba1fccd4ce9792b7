package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"hash/crc32"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
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
	t := &target{name: "concord", endpoint: addr, stop: stop}
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
	return &target{name: "dynalite", endpoint: endpoint, stop: stop}, nil
}

// startBare serves a handler that decodes the JSON body and answers a
// fixed reply with DynamoDB's content type and a correct x-amz-crc32.
func startBare() (*target, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, err
	}
	reply := []byte(`{}`)
	crc := strconv.FormatUint(uint64(crc32.ChecksumIEEE(reply)), 10)
	h := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var body map[string]any
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
	go srv.Serve(ln)
	return &target{name: "bare", endpoint: "http://" + ln.Addr().String(), bare: true,
		stop: func() error { return srv.Close() }}, nil
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
