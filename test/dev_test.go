package test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb"
	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// devProc is a running `concord dev`.
type devProc struct {
	cmd     *exec.Cmd
	out     *bytes.Buffer // stdout and stderr
	exited  chan struct{}
	waitErr error
}

// startDev starts `concord dev` in its own process group and makes sure,
// when the test ends, that it and its children are gone.
func startDev(t testing.TB, args ...string) *devProc {
	t.Helper()
	cmd := exec.Command(concordBin, append([]string{"dev"}, args...)...)
	d := &devProc{cmd: cmd, out: &bytes.Buffer{}, exited: make(chan struct{})}
	w := &lockedWriter{w: d.out}
	cmd.Stdout, cmd.Stderr = w, w
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		t.Fatalf("start concord dev: %v", err)
	}
	go func() {
		d.waitErr = cmd.Wait()
		close(d.exited)
	}()
	t.Cleanup(func() {
		select {
		case <-d.exited:
		default:
			_ = syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
			<-d.exited
		}
		// Children left behind by a failed test: the group we created.
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
		if t.Failed() {
			t.Logf("concord dev %v output:\n%s", args, w.String())
		}
	})
	return d
}

// lockedWriter is a bytes.Buffer safe for the process's two pipes.
type lockedWriter struct {
	mu sync.Mutex
	w  *bytes.Buffer
}

func (l *lockedWriter) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.Write(p)
}

func (l *lockedWriter) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.w.String()
}

// stop sends sig and waits for the exit; it fails the test unless the
// exit status is 0.
func (d *devProc) stop(t testing.TB, sig syscall.Signal) {
	t.Helper()
	_ = d.cmd.Process.Signal(sig)
	select {
	case <-d.exited:
	case <-time.After(30 * time.Second):
		t.Fatalf("concord dev did not exit within 30s of %v", sig)
	}
	if d.waitErr != nil {
		t.Errorf("concord dev after %v: %v, want exit status 0", sig, d.waitErr)
	}
}

// freeBase returns a port p such that p+o is free on 127.0.0.1 for every
// o in offsets, probing below the kernel's ephemeral range.
func freeBase(t testing.TB, offsets ...int) int {
	t.Helper()
	for range 100 {
		base := 15000 + rand.IntN(15000)
		var lns []net.Listener
		ok := true
		for _, o := range offsets {
			ln, err := net.Listen("tcp", "127.0.0.1:"+strconv.Itoa(base+o))
			if err != nil {
				ok = false
				break
			}
			lns = append(lns, ln)
		}
		for _, ln := range lns {
			ln.Close()
		}
		if ok {
			return base
		}
	}
	t.Fatalf("no base port with free offsets %v found", offsets)
	return 0
}

// devPorts are the offsets from --base-port `concord dev` uses for two
// regions: DynamoDB on +0, +1, the launcher on +2, NATS on +100, +101.
var devPorts = []int{0, 1, 2, 100, 101}

// devStatus is the launcher's GET /admin/status.
type devStatus struct {
	Regions   []regionStatus `json:"regions"`
	Converged bool           `json:"converged"`
	raw       []byte
}

func getDevStatus(url string) (*devStatus, error) {
	resp, err := adminClient.Get(url + "/admin/status")
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET %s/admin/status = %d: %s", url, resp.StatusCode, body)
	}
	st := &devStatus{raw: body}
	if err := json.Unmarshal(body, st); err != nil {
		return nil, fmt.Errorf("decode launcher status: %v: %s", err, body)
	}
	return st, nil
}

// processesMentioning lists the pids of live processes whose command line
// contains s.
func processesMentioning(s string) []string {
	var pids []string
	ents, _ := os.ReadDir("/proc")
	for _, e := range ents {
		if _, err := strconv.Atoi(e.Name()); err != nil {
			continue
		}
		b, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || len(b) == 0 { // gone, or a zombie
			continue
		}
		if strings.Contains(string(b), s) {
			pids = append(pids, e.Name()+": "+strings.ReplaceAll(string(b), "\x00", " "))
		}
	}
	return pids
}

// TestDev runs `concord dev` with two regions: a write in one is read in
// the other, the launcher reports convergence, SIGINT stops everything
// with status 0, a second run on the same data resumes, and the regions of
// a third stop by themselves when their launcher is killed with SIGKILL.
func TestDev(t *testing.T) {
	t.Parallel()
	data := t.TempDir()
	regions := []string{"a-1", "b-1"}
	tbl := "dev-table"

	run := func(base int) (*devProc, *dynamodb.Client, *dynamodb.Client, string) {
		d := startDev(t, "--regions", strings.Join(regions, ","), "--base-port", strconv.Itoa(base), "--data", data)
		launcher := fmt.Sprintf("http://127.0.0.1:%d", base+len(regions))
		start := time.Now()
		eventually(t, 60*time.Second, func() error {
			select {
			case <-d.exited:
				return errStop{fmt.Errorf("concord dev exited: %v", d.waitErr)}
			default:
			}
			st, err := getDevStatus(launcher)
			if err != nil {
				return err
			}
			if len(st.Regions) != len(regions) {
				return fmt.Errorf("launcher lists %d regions, want %d: %s", len(st.Regions), len(regions), st.raw)
			}
			for i, r := range regions {
				rs, err := getStatus(fmt.Sprintf("http://127.0.0.1:%d", base+i))
				if err != nil {
					return err
				}
				if rs.Region != r {
					return errStop{fmt.Errorf("port %d serves region %q, want %q", base+i, rs.Region, r)}
				}
			}
			return nil
		})
		t.Logf("concord dev (base port %d) ready in %v", base, time.Since(start).Round(time.Millisecond))
		ca := newClient(fmt.Sprintf("http://127.0.0.1:%d", base), 3)
		cb := newClient(fmt.Sprintf("http://127.0.0.1:%d", base+1), 3)
		return d, ca, cb, launcher
	}

	base := freeBase(t, devPorts...)
	d, ca, cb, launcher := run(base)
	// The launcher and one process per region name the data directory:
	// the check that they are gone later is not vacuous.
	if ps := processesMentioning(data); len(ps) < len(regions)+1 {
		t.Errorf("found %d processes naming the data directory while dev runs, want at least %d:\n%s", len(ps), len(regions)+1, strings.Join(ps, "\n"))
	}
	createTable(t, ca, tbl, keyDef{"pk", types.ScalarAttributeTypeS}, nil)
	waitActive(t, cb, tbl)
	put(t, ca, tbl, item{"pk": s("hello"), "v": s("world")})
	eventually(t, 30*time.Second, func() error {
		out, err := cb.GetItem(context.Background(), &dynamodb.GetItemInput{TableName: aws.String(tbl), Key: item{"pk": s("hello")}, ConsistentRead: aws.Bool(true)})
		if err != nil {
			return err
		}
		if out.Item == nil {
			return errors.New("item written in a-1 not visible in b-1")
		}
		if got := strOf(t, out.Item["v"]); got != "world" {
			return errStop{fmt.Errorf("b-1 holds v=%q, want world", got)}
		}
		return nil
	})
	eventually(t, 30*time.Second, func() error {
		st, err := getDevStatus(launcher)
		if err != nil {
			return err
		}
		for _, rs := range st.Regions {
			found := false
			for _, ts := range rs.Tables {
				found = found || ts.Name == tbl && ts.ItemCount == 1
			}
			if !found {
				return fmt.Errorf("region %s does not list %s with 1 item: %s", rs.Region, tbl, st.raw)
			}
		}
		if !st.Converged {
			return fmt.Errorf("launcher reports converged=false: %s", st.raw)
		}
		return nil
	})
	resp, err := adminClient.Get(launcher + "/")
	if err != nil {
		t.Fatalf("GET launcher /: %v", err)
	}
	page, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(resp.Header.Get("Content-Type"), "text/html") || len(page) == 0 {
		t.Errorf("GET launcher / = %d %q (%d bytes), want 200 text/html", resp.StatusCode, resp.Header.Get("Content-Type"), len(page))
	}

	d.stop(t, syscall.SIGINT)
	if ps := processesMentioning(data); len(ps) > 0 {
		t.Errorf("processes still running after concord dev exited:\n%s", strings.Join(ps, "\n"))
	}
	for i := range len(regions) + 1 {
		if c, err := net.DialTimeout("tcp", fmt.Sprintf("127.0.0.1:%d", base+i), time.Second); err == nil {
			c.Close()
			t.Errorf("port %d still accepts connections after concord dev exited", base+i)
		}
	}

	// A second run on the same data resumes with the item in both regions.
	d2, ca2, cb2, _ := run(freeBase(t, devPorts...))
	for name, c := range map[string]*dynamodb.Client{"a-1": ca2, "b-1": cb2} {
		got := get(t, c, tbl, item{"pk": s("hello")})
		if got == nil || strOf(t, got["v"]) != "world" {
			t.Errorf("after restart %s holds %v, want v=world", name, got)
		}
	}
	d2.stop(t, syscall.SIGTERM)
	if ps := processesMentioning(data); len(ps) > 0 {
		t.Errorf("processes still running after the second concord dev exited:\n%s", strings.Join(ps, "\n"))
	}

	// A launcher killed with SIGKILL cannot stop its regions: the kernel
	// tells them (parent-death signal), and they stop by themselves.
	d3, _, _, _ := run(freeBase(t, devPorts...))
	_ = syscall.Kill(d3.cmd.Process.Pid, syscall.SIGKILL)
	<-d3.exited
	eventually(t, 30*time.Second, func() error {
		if ps := processesMentioning(data); len(ps) > 0 {
			return fmt.Errorf("regions still running after their launcher was killed:\n%s", strings.Join(ps, "\n"))
		}
		return nil
	})
}
