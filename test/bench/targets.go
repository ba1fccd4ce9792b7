package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash/crc32"
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

	"github.com/concorddb/concord/test/internal/launch"
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
	bin, err := launch.Build(ctx, tmp)
	if err != nil {
		return nil, err
	}
	p, err := launch.Start(ctx, bin, launch.Options{DataDir: filepath.Join(tmp, "concord-data"),
		LogPath: filepath.Join(tmp, "concord.log"), Args: extra})
	if err != nil {
		return nil, err
	}
	return &target{name: "concord", endpoint: p.URL(), stop: p.Stop, pgid: p.PID()}, nil
}

// startDynalite runs `npx --yes dynalite` on a free port and waits for it.
func startDynalite(ctx context.Context, tmp string) (*target, error) {
	dir := filepath.Join(tmp, "dynalite")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	p, err := launch.StartDynalite(ctx, filepath.Join(tmp, "dynalite.log"), "--path", dir)
	if err != nil {
		return nil, err
	}
	// npx and node end by the signal: only Concord's exit is checked.
	stop := func() error { p.Stop(); return nil }
	return &target{name: "dynalite", endpoint: p.URL(), stop: stop, pgid: p.PID()}, nil
}

// bareEnv, when set, makes this program the bare server (serveBare)
// instead of the benchmark.
const bareEnv = "CONCORD_BENCH_SERVE_BARE"

// startBare runs the bare server in a child process (this program again,
// with bareEnv set), as the other targets run in processes of their own:
// it then shares neither the clients' Go runtime nor their garbage
// collector, and its CPU time can be read.
func startBare(ctx context.Context, tmp string) (*target, error) {
	self, err := os.Executable()
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self)
	cmd.Env = append(os.Environ(), bareEnv+"=1")
	p, err := launch.StartCommand(ctx, cmd, launch.CommandOptions{
		Name:    "bare server",
		LogPath: filepath.Join(tmp, "bare.log"),
		Lines:   1, // its address
		Ready: func(_ context.Context, p *launch.Process) error {
			if a := p.Lines()[0]; !strings.HasPrefix(a, "http://") {
				return launch.Permanent(fmt.Errorf("said %q, want its address", a))
			}
			return nil // it listens before it prints
		},
		StopTimeout: 10 * time.Second,
	})
	if err != nil {
		return nil, err
	}
	return &target{name: "bare", endpoint: p.Lines()[0], bare: true, stop: p.Stop, pgid: p.PID()}, nil
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
