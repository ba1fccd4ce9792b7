package cli

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"
)

// syncBuffer is a bytes.Buffer safe for one writer and one reader.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.b.String()
}

func TestCLIServe(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	var stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		code := Run(ctx, []string{"serve", "--region", "ap-south-1", "--data", t.TempDir(), "--listen", "127.0.0.1:0"}, pw, &stderr)
		pw.Close()
		done <- code
	}()

	lines := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(pr)
		for sc.Scan() {
			lines <- sc.Text()
		}
		close(lines)
	}()
	var line string
	select {
	case line = <-lines:
	case <-time.After(10 * time.Second):
		t.Fatalf("no startup line; stderr:\n%s", stderr.String())
	}
	addr, ok := strings.CutPrefix(line, "listening on http://")
	if !ok {
		t.Fatalf("startup line %q", line)
	}
	resp, err := http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"region":"ap-south-1"`) {
		t.Errorf("health %s", body)
	}

	cancel()
	select {
	case code := <-done:
		if code != ExitOK {
			t.Errorf("exit code %d; stderr:\n%s", code, stderr.String())
		}
	case <-time.After(10 * time.Second):
		t.Fatal("serve did not stop")
	}
	if extra, ok := <-lines; ok {
		t.Errorf("stdout has more than one line: %q", extra)
	}
}

func TestCLICommands(t *testing.T) {
	cases := []struct {
		args      []string
		code      int
		out, errs string
	}{
		{[]string{"version"}, ExitOK, "concord ", ""},
		{[]string{"help"}, ExitOK, "Usage:", ""},
		{nil, ExitUsage, "", "Usage:"},
		{[]string{"dev"}, ExitUsage, "", "not implemented yet (issue 3)"},
		{[]string{"frob"}, ExitUsage, "", `unknown command "frob"`},
		{[]string{"serve", "--nope"}, ExitUsage, "", "flag provided but not defined"},
		{[]string{"serve", "--log-level", "loud"}, ExitUsage, "", "invalid --log-level"},
		{[]string{"serve", "--region", "Bad Region", "--listen", "127.0.0.1:0"}, ExitError, "", "invalid region"},
	}
	for _, c := range cases {
		t.Run(strings.Join(c.args, " "), func(t *testing.T) {
			var out, errs bytes.Buffer
			code := Run(context.Background(), c.args, &out, &errs)
			if code != c.code || !strings.Contains(out.String(), c.out) || !strings.Contains(errs.String(), c.errs) {
				t.Errorf("code %d stdout %q stderr %q", code, out.String(), errs.String())
			}
		})
	}
}
