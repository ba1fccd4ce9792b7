package test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/concorddb/concord/test/internal/launch"
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
		if concordBin, err = launch.Build(context.Background(), tmp); err != nil {
			fmt.Fprintln(os.Stderr, "e2e:", err)
			return 1
		}
	}
	shared.dir = filepath.Join(tmp, "shared")
	code := m.Run()
	if shared.n != nil {
		if err := shared.n.Stop(); err != nil {
			fmt.Fprintln(os.Stderr, "e2e: shared node:", err)
			code = 1
		}
	}
	// Every test stops its own nodes; this is for those a bug left.
	if err := launch.StopAll(); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: nodes left running:", err)
	}
	return code
}

// node is one running `concord serve` process.
type node struct {
	*launch.Process
	addr string // host:port
	url  string // http(s)://host:port
}

// startProcess starts `concord serve` on dataDir (region us-east-1 unless
// extra says otherwise) and waits until it answers GET / or the deadline
// passes.
func startProcess(dataDir, logPath string, extra ...string) (*node, error) {
	p, err := launch.Start(context.Background(), concordBin, launch.Options{DataDir: dataDir, LogPath: logPath, Args: extra})
	if err != nil {
		return nil, err
	}
	return &node{Process: p, addr: p.Addr(), url: p.URL()}, nil
}

// startNode starts a node on dataDir (a fresh temp dir if empty) and stops
// it with SIGTERM when the test ends (launch.Process.Stop).
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
		if err := n.Stop(); err != nil {
			t.Errorf("stop concord: %v", err)
		}
		if t.Failed() {
			t.Logf("concord log tail (%s):\n%s", n.addr, n.LogTail())
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

// stop stops the node cleanly, failing the test if it does not.
func (n *node) stop(t testing.TB) {
	t.Helper()
	if err := n.Stop(); err != nil {
		t.Fatalf("stop concord: %v", err)
	}
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
