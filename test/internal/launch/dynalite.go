package launch

import (
	"context"
	"fmt"
	"net"
	"os/exec"
	"strconv"
	"time"
)

// Dynalite's start and stop bounds.
const (
	// DynaliteReadyTimeout bounds the wait for dynalite to answer: the
	// first run downloads it.
	DynaliteReadyTimeout = 5 * time.Minute
	dynaliteStopTimeout  = 10 * time.Second
)

// StartDynalite runs `npx --yes dynalite --port PORT args...` (dynalite
// is a Node.js DynamoDB emulator; npx downloads it on first use) on a free
// port, logging to logPath ("" discards), and waits until it answers
// HTTP. The Process's URL and Addr are its endpoint. npx and node end by
// the signal, so Stop reports a non-zero exit that callers may ignore.
func StartDynalite(ctx context.Context, logPath string, args ...string) (*Process, error) {
	port, err := freePort()
	if err != nil {
		return nil, err
	}
	addr := "127.0.0.1:" + strconv.Itoa(port)
	url := "http://" + addr
	cmd := exec.Command("npx", append([]string{"--yes", "dynalite", "--port", strconv.Itoa(port)}, args...)...)
	p, err := StartCommand(ctx, cmd, CommandOptions{
		Name:         "dynalite",
		LogPath:      logPath,
		Ready:        HTTPReady(url),
		ReadyTimeout: DynaliteReadyTimeout,
		StopTimeout:  dynaliteStopTimeout,
	})
	if err != nil {
		return nil, err
	}
	p.url, p.addr = url, addr
	return p, nil
}

// freePort returns a TCP port on 127.0.0.1 that was free a moment ago,
// for a server that cannot pick its own and report it (dynalite). A
// concord node needs none: Start gives it port 0 and reads the port it
// bound.
func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, fmt.Errorf("launch: free port: %w", err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}
