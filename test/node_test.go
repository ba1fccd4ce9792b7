package test

import (
	"bufio"
	"bytes"
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
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
)

// concordBin is the binary TestMain built (or CONCORD_BIN).
var concordBin string

// shared is the node most tests use, each with its own tables; started on
// first use and stopped by TestMain.
var shared struct {
	once sync.Once
	n    *node
	err  error
	dir  string
}

func TestMain(m *testing.M) {
	os.Exit(runMain(m))
}

func runMain(m *testing.M) int {
	tmp, err := os.MkdirTemp("", "concord-e2e-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "e2e:", err)
		return 1
	}
	defer os.RemoveAll(tmp)
	concordBin = os.Getenv("CONCORD_BIN")
	if concordBin == "" {
		concordBin = filepath.Join(tmp, "concord")
		cmd := exec.Command("go", "build", "-o", concordBin, "./cmd/concord")
		cmd.Dir = ".."
		if out, err := cmd.CombinedOutput(); err != nil {
			fmt.Fprintf(os.Stderr, "e2e: go build ./cmd/concord: %v\n%s", err, out)
			return 1
		}
	}
	shared.dir = filepath.Join(tmp, "shared")
	code := m.Run()
	if shared.n != nil {
		if err := shared.n.stopErr(15 * time.Second); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: shared node:", err)
			code = 1
		}
	}
	return code
}

// node is one running `concord serve` process.
type node struct {
	cmd     *exec.Cmd
	addr    string // host:port
	url     string // http://host:port
	dataDir string
	logPath string
	exited  chan struct{} // closed when the process has exited
	waitErr error         // valid after exited is closed
	stopped sync.Once
	stopRes error
}

// startProcess starts `concord serve` on dataDir and waits until it
// answers GET / or the deadline passes.
func startProcess(dataDir, logPath string, extra ...string) (*node, error) {
	logf, err := os.OpenFile(logPath, os.O_CREATE|os.O_WRONLY|os.O_APPEND, 0o644)
	if err != nil {
		return nil, err
	}
	args := append([]string{"serve", "--region", "us-east-1", "--data", dataDir, "--listen", "127.0.0.1:0", "--nats-listen", "127.0.0.1:0"}, extra...)
	cmd := exec.Command(concordBin, args...)
	cmd.Stderr = logf
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		logf.Close()
		return nil, err
	}
	if err := cmd.Start(); err != nil {
		logf.Close()
		return nil, err
	}
	n := &node{cmd: cmd, dataDir: dataDir, logPath: logPath, exited: make(chan struct{})}
	lineCh := make(chan string, 1)
	go func() {
		r := bufio.NewReader(stdout)
		line, _ := r.ReadString('\n')
		lineCh <- line
		io.Copy(io.Discard, r) // keep draining so the node never blocks on stdout
	}()
	go func() {
		n.waitErr = cmd.Wait()
		logf.Close()
		close(n.exited)
	}()
	var line string
	select {
	case line = <-lineCh:
	case <-n.exited:
		return nil, fmt.Errorf("concord exited before listening: %v\n%s", n.waitErr, n.logTail())
	case <-time.After(60 * time.Second):
		n.kill()
		return nil, fmt.Errorf("no listening line within 60s\n%s", n.logTail())
	}
	line = strings.TrimSpace(line)
	url, ok := strings.CutPrefix(line, "listening on ")
	scheme, addr, ok2 := strings.Cut(url, "://")
	if !ok || !ok2 || scheme != "http" && scheme != "https" {
		n.kill()
		return nil, fmt.Errorf("first stdout line = %q, want \"listening on http(s)://<host:port>\"\n%s", line, n.logTail())
	}
	n.addr, n.url = addr, url
	// The readiness poll does not check an HTTPS node's certificate: the
	// tests that start one verify it themselves.
	health := &http.Client{Transport: &http.Transport{TLSClientConfig: &tls.Config{InsecureSkipVerify: true}}}
	defer health.CloseIdleConnections()
	err = poll(30*time.Second, func() error {
		select {
		case <-n.exited:
			return errStop{fmt.Errorf("concord exited: %v", n.waitErr)}
		default:
		}
		resp, err := health.Get(n.url + "/")
		if err != nil {
			return err
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			return fmt.Errorf("GET / = %d", resp.StatusCode)
		}
		return nil
	})
	if err != nil {
		n.kill()
		return nil, fmt.Errorf("health: %v\n%s", err, n.logTail())
	}
	return n, nil
}

// startNode starts a node on dataDir (a fresh temp dir if empty) and stops
// it with SIGTERM when the test ends.
func startNode(t testing.TB, dataDir string, extra ...string) *node {
	t.Helper()
	if dataDir == "" {
		dataDir = t.TempDir()
	}
	logPath := filepath.Join(t.TempDir(), "concord.log")
	n, err := startProcess(dataDir, logPath, extra...)
	if err != nil {
		t.Fatalf("start concord: %v", err)
	}
	t.Cleanup(func() {
		if err := n.stopErr(15 * time.Second); err != nil {
			t.Errorf("stop concord: %v", err)
		}
		if t.Failed() {
			t.Logf("concord log tail (%s):\n%s", n.addr, n.logTail())
		}
	})
	return n
}

// sharedNode returns the node shared by tests that use their own tables.
func sharedNode(t testing.TB) *node {
	t.Helper()
	shared.once.Do(func() {
		if err := os.MkdirAll(shared.dir, 0o755); err != nil {
			shared.err = err
			return
		}
		shared.n, shared.err = startProcess(filepath.Join(shared.dir, "data"), filepath.Join(shared.dir, "concord.log"))
	})
	if shared.err != nil {
		t.Fatalf("start shared concord: %v", shared.err)
	}
	return shared.n
}

// stopErr sends SIGTERM and waits up to timeout for a clean exit.
// Later calls return the first call's result.
func (n *node) stopErr(timeout time.Duration) error {
	n.stopped.Do(func() {
		select {
		case <-n.exited:
			n.stopRes = fmt.Errorf("concord had already exited: %v", n.waitErr)
			return
		default:
		}
		_ = n.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-n.exited:
			if n.waitErr != nil {
				n.stopRes = fmt.Errorf("exit after SIGTERM: %v", n.waitErr)
			}
		case <-time.After(timeout):
			_ = n.cmd.Process.Kill()
			<-n.exited
			n.stopRes = fmt.Errorf("did not exit within %v of SIGTERM; killed", timeout)
		}
	})
	return n.stopRes
}

// stop stops the node cleanly, failing the test if it does not.
func (n *node) stop(t testing.TB) {
	t.Helper()
	if err := n.stopErr(15 * time.Second); err != nil {
		t.Fatalf("stop concord: %v", err)
	}
}

// kill sends SIGKILL and waits for the process to go.
func (n *node) kill() {
	n.stopped.Do(func() {
		_ = n.cmd.Process.Kill()
		<-n.exited
	})
}

func (n *node) logTail() string {
	b, _ := os.ReadFile(n.logPath)
	if len(b) > 4096 {
		b = b[len(b)-4096:]
	}
	return string(b)
}

// client returns an SDK client for n.
func (n *node) client() *dynamodb.Client {
	return newClient(n.url, 3)
}

func newClient(url string, attempts int) *dynamodb.Client {
	return dynamodb.New(dynamodb.Options{
		Region:           "us-east-1",
		BaseEndpoint:     aws.String(url),
		Credentials:      credentials.NewStaticCredentialsProvider("test", "test", ""),
		RetryMaxAttempts: attempts,
	})
}

// errStop makes poll give up at once.
type errStop struct{ error }

// poll calls f until it returns nil or timeout passes; it returns f's last
// error.
func poll(timeout time.Duration, f func() error) error {
	deadline := time.Now().Add(timeout)
	wait := 5 * time.Millisecond
	for {
		err := f()
		if err == nil {
			return nil
		}
		var s errStop
		if errors.As(err, &s) {
			return s.error
		}
		if time.Now().After(deadline) {
			return err
		}
		t := time.NewTimer(wait)
		<-t.C
		if wait < 200*time.Millisecond {
			wait *= 2
		}
	}
}

// eventually fails the test if f does not return nil within timeout.
func eventually(t testing.TB, timeout time.Duration, f func() error) {
	t.Helper()
	if err := poll(timeout, f); err != nil {
		t.Fatalf("not true within %v: %v", timeout, err)
	}
}

// ctx returns a context bounded by 60 seconds for one test.
func testCtx(t testing.TB) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	t.Cleanup(cancel)
	return ctx
}

var tableSeq struct {
	sync.Mutex
	n int
}

// tableName returns a table name unique in this run, derived from the test.
func tableName(t testing.TB) string {
	tableSeq.Lock()
	tableSeq.n++
	n := tableSeq.n
	tableSeq.Unlock()
	var b bytes.Buffer
	for _, r := range t.Name() {
		switch {
		case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9', r == '_', r == '-':
			b.WriteRune(r)
		default:
			b.WriteByte('.')
		}
	}
	s := b.String()
	if len(s) > 200 {
		s = s[:200]
	}
	return fmt.Sprintf("%s-%d", s, n)
}
