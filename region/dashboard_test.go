package region

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

// TestDashboardServedFromBinary fetches a node's /dashboard page and every
// asset it names: all served from the binary, small, and DynamoDB
// requests on the same port still work.
func TestDashboardServedFromBinary(t *testing.T) {
	t.Parallel()
	n := startNode(t, "us-east-1")
	get := func(path string) (*http.Response, []byte) {
		t.Helper()
		resp, err := http.Get(n.URL() + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp, b
	}
	resp, page := get("/dashboard")
	if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /dashboard = %d %q", resp.StatusCode, resp.Header.Get("Content-Type"))
	}
	total := len(page)
	for path, ctype := range map[string]string{"/dashboard/app.js": "text/javascript", "/dashboard/style.css": "text/css"} {
		if !strings.Contains(string(page), `"`+path+`"`) {
			t.Errorf("page does not reference %s", path)
		}
		resp, body := get(path)
		if resp.StatusCode != http.StatusOK || !strings.HasPrefix(resp.Header.Get("Content-Type"), ctype) || len(body) == 0 {
			t.Errorf("GET %s = %d %q (%d bytes)", path, resp.StatusCode, resp.Header.Get("Content-Type"), len(body))
		}
		total += len(body)
	}
	if total > 300<<10 {
		t.Errorf("dashboard is %d bytes, want under 300 KB", total)
	}
	if strings.Contains(string(page), "http://") || strings.Contains(string(page), "https://") {
		t.Errorf("page loads something from the network")
	}
	if resp, _ := get("/dashboard/missing.js"); resp.StatusCode != http.StatusNotFound {
		t.Errorf("GET /dashboard/missing.js = %d, want 404", resp.StatusCode)
	}
	// The API still answers on the same port.
	ddb(t, n, "CreateTable", createT)
	if st := getStatus(t, n); len(st.Tables) != 1 || st.Conflicts == nil {
		t.Errorf("status %+v", st)
	}
}

// TestDashboardStatusListsConflicts partitions two regions, writes one key
// in both (the later in eu-west-1), heals, and expects eu-west-1's
// /admin/status to list the discarded us-east-1 version.
func TestDashboardStatusListsConflicts(t *testing.T) {
	t.Parallel()
	a, b := linkedPair(t)
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, a, b))
	unlink(t, a, b)
	unlink(t, b, a)
	before := time.Now()
	put(t, a, "shared", "a-side")
	put(t, b, "shared", "b-side") // later: it wins
	link(t, a, b)
	link(t, b, a)
	eventually(t, 15*time.Second, converged(t, 1, a, b))
	eventually(t, 15*time.Second, func() error {
		resp, err := http.Get(b.URL() + "/admin/status")
		if err != nil {
			return err
		}
		defer resp.Body.Close()
		var raw struct {
			Conflicts []struct {
				At     string          `json:"at"`
				Table  string          `json:"table"`
				Key    json.RawMessage `json:"key"`
				Winner string          `json:"winner"`
				Loser  string          `json:"loser"`
			} `json:"conflicts"`
		}
		if err := json.NewDecoder(resp.Body).Decode(&raw); err != nil {
			return err
		}
		if len(raw.Conflicts) == 0 {
			return fmt.Errorf("no conflicts listed")
		}
		c := raw.Conflicts[0]
		at, err := time.Parse(time.RFC3339, c.At)
		if err != nil || at.Before(before.Add(-time.Second)) {
			return fmt.Errorf("conflict at %q: %v", c.At, err)
		}
		if c.Table != "tbl" || string(c.Key) != `{"pk":{"S":"shared"}}` || c.Winner != "eu-west-1" || c.Loser != "us-east-1" {
			return fmt.Errorf("conflict %+v key %s", c, c.Key)
		}
		return nil
	})
	if st := getStatus(t, a); len(st.Conflicts) != 0 {
		t.Errorf("us-east-1 applied the newer version yet lists conflicts %+v", st.Conflicts)
	}
}
