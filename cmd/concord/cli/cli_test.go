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
		code := Run(ctx, []string{"serve", "--region", "ap-south-1", "--data", t.TempDir(), "--listen", "127.0.0.1:0",
			"--nats-listen", "127.0.0.1:0", "--peer", "eu-west-1=nats://127.0.0.1:1", "--clock-offset", "-1s",
			"--max-clock-offset", "250ms", "--tombstone-retention", "1h"}, pw, &stderr)
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
	select {
	case line = <-lines:
	case <-time.After(10 * time.Second):
		t.Fatalf("no nats line; stderr:\n%s", stderr.String())
	}
	natsURL, ok := strings.CutPrefix(line, "nats on nats://127.0.0.1:")
	if !ok || natsURL == "0" {
		t.Fatalf("second line %q", line)
	}
	resp, err := http.Get("http://" + addr + "/admin/status")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(body), `"source":"eu-west-1","url":"nats://127.0.0.1:1","connected":false`) ||
		!strings.Contains(string(body), `"nats":"nats://127.0.0.1:`+natsURL+`"`) {
		t.Errorf("status %s", body)
	}
	resp, err = http.Get("http://" + addr + "/")
	if err != nil {
		t.Fatal(err)
	}
	body, _ = io.ReadAll(resp.Body)
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
		t.Errorf("stdout has more than two lines: %q", extra)
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
		{[]string{"dev", "--base-port", "0"}, ExitUsage, "", "invalid --base-port 0"},
		{[]string{"dev", "--base-port", "65500"}, ExitUsage, "", "invalid --base-port 65500"},
		{[]string{"dev", "--regions", "us-east-1,us-east-1"}, ExitUsage, "", `region "us-east-1" listed twice`},
		{[]string{"dev", "--regions", "us-east-1,,b"}, ExitUsage, "", `invalid region ""`},
		{[]string{"dev", "--log-level", "loud"}, ExitUsage, "", "invalid --log-level"},
		{[]string{"dev", "extra"}, ExitUsage, "", "unexpected arguments"},
		{[]string{"dev", "--nope"}, ExitUsage, "", "flag provided but not defined"},
		{[]string{"serve", "--peer", "eu-west-1"}, ExitUsage, "", "want REGION=NATS_URL"},
		{[]string{"serve", "--peer", "EU=nats://x"}, ExitUsage, "", `invalid region "EU"`},
		{[]string{"serve", "--clock-offset", "soon"}, ExitUsage, "", "invalid value"},
		{[]string{"serve", "--region", "eu-west-1", "--listen", "127.0.0.1:0", "--peer", "eu-west-1=nats://x"}, ExitError, "", "own region"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--nats-listen", "nope"}, ExitError, "", "invalid NATS listen address"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--stream-replicas", "3"}, ExitError, "", "need an external NATS cluster"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--nats-tls-cert", "/no/such.crt"}, ExitError, "", "needs its key"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--nats-creds", "/no/such.creds"}, ExitError, "", "NATS creds file"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--auth-file", "/no/such/keys"}, ExitError, "", "credentials file"},
		{[]string{"serve", "--peer-nkey", "eu-west-1"}, ExitUsage, "", "want REGION=FILE"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--peer-creds", "eu-west-1=/x.creds"}, ExitUsage, "", `region "eu-west-1", which has no --peer`},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--peer", "eu-west-1=nats://127.0.0.1:1", "--peer-creds", "eu-west-1=/no/such.creds"}, ExitError, "", "NATS creds file: open /no/such.creds"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--peer", "eu-west-1=nats://127.0.0.1:1", "--peer-tls-cert", "eu-west-1=/no/such.crt"}, ExitError, "", "needs its key"},
		{[]string{"serve", "--listen", "127.0.0.1:0", "--tls-cert", "/no/such.crt"}, ExitError, "", "both a TLS certificate and its key"},
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

func TestCLIDevFlags(t *testing.T) {
	var errs bytes.Buffer
	o, err := parseDev([]string{"--regions", "a-1, b-2", "--base-port", "9000", "--data", "/tmp/x"}, &errs)
	if err != nil {
		t.Fatal(err, errs.String())
	}
	if strings.Join(o.regions, ",") != "a-1,b-2" || o.basePort != 9000 || o.dataDir != "/tmp/x" || o.logLevel != "info" {
		t.Errorf("%+v", o)
	}
	o, err = parseDev(nil, &errs)
	if err != nil || len(o.regions) != 3 || o.regions[0] != "us-east-1" || o.basePort != DefaultDevBasePort {
		t.Errorf("defaults %+v %v", o, err)
	}
}

func TestCLIDevConverged(t *testing.T) {
	tables := func(kv ...string) *regionTables {
		rt := &regionTables{}
		for i := 0; i < len(kv); i += 2 {
			rt.Tables = append(rt.Tables, struct {
				Name   string `json:"name"`
				Digest string `json:"digest"`
			}{kv[i], kv[i+1]})
		}
		return rt
	}
	cases := []struct {
		in   []*regionTables
		want bool
	}{
		{[]*regionTables{tables(), tables()}, true},
		{[]*regionTables{tables("t", "d1", "u", "d2"), tables("u", "d2", "t", "d1")}, true},
		{[]*regionTables{tables("t", "d1"), tables("t", "d2")}, false},
		{[]*regionTables{tables("t", "d1"), tables()}, false},
		{[]*regionTables{tables("t", "d1"), nil}, false},
	}
	for i, c := range cases {
		if got := converged(c.in); got != c.want {
			t.Errorf("case %d: %v", i, got)
		}
	}
}
