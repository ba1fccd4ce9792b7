package test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-sdk-go-v2/service/dynamodb/types"
)

// chromiumPath is Debian's chromium, or CONCORD_CHROMIUM.
func chromiumPath(t testing.TB) string {
	t.Helper()
	p := os.Getenv("CONCORD_CHROMIUM")
	if p == "" {
		p = "/usr/bin/chromium"
	}
	if _, err := os.Stat(p); err != nil {
		t.Fatalf("headless Chromium is needed for the dashboard test and %s is missing (%v): install Debian's chromium package "+
			"(apt-get install -y chromium; .ci/run does it) or point CONCORD_CHROMIUM at a Chromium binary", p, err)
	}
	return p
}

// runChromium runs headless Chromium on url with extra flags and returns
// its stdout. Its whole process group is gone when it returns.
func runChromium(t testing.TB, bin, url string, extra ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	args := append([]string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--user-data-dir=" + t.TempDir(), "--virtual-time-budget=5000"}, extra...)
	cmd := exec.CommandContext(ctx, bin, append(args, url)...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	err := cmd.Run()
	if cmd.Process != nil {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) // helpers left behind
	}
	if err != nil {
		t.Fatalf("chromium %v: %v\nstderr:\n%s", extra, err, stderr.String())
	}
	return stdout.Bytes()
}

// TestDashboard runs `concord dev` with two regions, writes through the SDK
// into both (one key in both while they are cut off, so one version loses),
// then renders the launcher's /dashboard in headless Chromium: the grid
// shows every region, every table row is converged with the digests the
// regions report, and the conflict is listed. It saves a screenshot.
func TestDashboard(t *testing.T) {
	t.Parallel()
	chromium := chromiumPath(t)
	regions := []string{"a-1", "b-1"}
	base := freeBase(t, devPorts...)
	d := startDev(t, "--regions", strings.Join(regions, ","), "--base-port", strconv.Itoa(base), "--data", t.TempDir())
	launcher := fmt.Sprintf("http://127.0.0.1:%d", base+len(regions))
	procs := make([]*regionProc, len(regions))
	for i, r := range regions {
		procs[i] = &regionProc{node: &node{url: fmt.Sprintf("http://127.0.0.1:%d", base+i)}, region: r,
			nats: fmt.Sprintf("127.0.0.1:%d", base+100+i)}
	}
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
		for _, rs := range st.Regions {
			if len(rs.Replication) != len(regions)-1 || !rs.Replication[0].Connected {
				return fmt.Errorf("region %s not linked yet: %s", rs.Region, st.raw)
			}
		}
		return nil
	})
	ca, cb := newClient(procs[0].url, 3), newClient(procs[1].url, 3)
	tables := []string{"dash-orders", "dash-users"}
	for _, tbl := range tables {
		createTable(t, ca, tbl, keyDef{"pk", types.ScalarAttributeTypeS}, nil)
		waitActive(t, cb, tbl)
	}
	for i := range 20 {
		put(t, ca, tables[0], item{"pk": s(fmt.Sprint("a", i)), "v": s("from a-1")})
		put(t, cb, tables[i%2], item{"pk": s(fmt.Sprint("b", i)), "v": s("from b-1")})
	}
	// Cut the regions off, write one key in both (b-1 later, so it wins),
	// and heal: b-1 discards a-1's version, a conflict.
	for i, p := range procs {
		if err := p.deletePeer(procs[1-i].region); err != nil {
			t.Fatal(err)
		}
	}
	put(t, ca, tables[1], item{"pk": s("contested"), "v": s("a-1 side")})
	put(t, cb, tables[1], item{"pk": s("contested"), "v": s("b-1 side")})
	for i, p := range procs {
		if err := p.addPeer(procs[1-i].region, "nats://"+procs[1-i].nats); err != nil {
			t.Fatal(err)
		}
	}
	var st *devStatus
	eventually(t, 30*time.Second, func() error {
		var err error
		if st, err = getDevStatus(launcher); err != nil {
			return err
		}
		if !st.Converged {
			return fmt.Errorf("not converged: %s", st.raw)
		}
		if !bytes.Contains(st.raw, []byte(`"winner":"b-1","loser":"a-1"`)) {
			return fmt.Errorf("no conflict listed: %s", st.raw)
		}
		return nil
	})
	digests := map[string]string{} // table -> digest
	for _, ts := range st.Regions[0].Tables {
		digests[ts.Name] = ts.Digest
	}

	dom := string(runChromium(t, chromium, launcher+"/dashboard", "--dump-dom"))
	if !strings.Contains(dom, `data-ticks=`) {
		t.Fatalf("the dashboard never rendered a status:\n%s", dom)
	}
	for _, r := range regions {
		if !regexp.MustCompile(`<th data-region="` + regexp.QuoteMeta(r) + `"`).MatchString(dom) {
			t.Errorf("grid has no column for region %s", r)
		}
		if !strings.Contains(dom, `class="card" data-region="`+r+`" data-state="up"`) {
			t.Errorf("region %s is not shown up", r)
		}
	}
	rows := regexp.MustCompile(`<tr data-table="([^"]*)" data-converged="([^"]*)">(.*?)</tr>`).FindAllStringSubmatch(dom, -1)
	if len(rows) != len(tables) {
		t.Errorf("grid has %d table rows, want %d:\n%s", len(rows), len(tables), dom)
	}
	cellRe := regexp.MustCompile(`data-region="([^"]*)" data-digest="([^"]*)"`)
	for _, row := range rows {
		if row[2] != "true" {
			t.Errorf("table %s shown data-converged=%q, want true", row[1], row[2])
		}
		cells := cellRe.FindAllStringSubmatch(row[3], -1)
		if len(cells) != len(regions) {
			t.Errorf("table %s has %d region cells, want %d", row[1], len(cells), len(regions))
		}
		for _, c := range cells {
			if c[2] != digests[row[1]] {
				t.Errorf("table %s in %s shows digest %q, status says %q", row[1], c[1], c[2], digests[row[1]])
			}
		}
	}
	if !strings.Contains(dom, `id="state" class="pill" data-converged="true"`) {
		t.Errorf("overall state is not shown converged")
	}
	if !regexp.MustCompile(`<tr data-conflict="" data-table="dash-users" data-winner="b-1" data-loser="a-1">.*?contested`).MatchString(dom) {
		t.Errorf("the conflict on dash-users/contested is not listed")
	}
	if n := strings.Count(dom, `data-link="`); n != len(regions)*(len(regions)-1) {
		t.Errorf("%d replication links shown, want %d", n, len(regions)*(len(regions)-1))
	}

	shot := filepath.Join(t.TempDir(), "dashboard.png")
	runChromium(t, chromium, launcher+"/dashboard", "--window-size=1280,900", "--hide-scrollbars", "--screenshot="+shot)
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Fatalf("screenshot %s: %v (%d bytes)", shot, err, len(png))
	}
	t.Logf("dashboard screenshot: %s (%d bytes)", shot, len(png))
	if os.Getenv("CONCORD_SAVE_SCREENSHOT") != "" {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join("testdata", "dashboard.png"), png, 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("copied to testdata/dashboard.png")
	}
	d.stop(t, syscall.SIGTERM)
}
