package region

import (
	"crypto/tls"
	"crypto/x509"
	"io"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRegionServesHTTPS: with TLSCert and TLSKey the node answers HTTPS
// (with the given certificate, verified against its CA) and not plain HTTP.
func TestRegionServesHTTPS(t *testing.T) {
	pki := testPKI(t, t.TempDir())
	n, err := Open(Config{Region: "eu-west-1", DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		NATS: NATSConfig{Listen: "127.0.0.1:0"}, Logger: slog.New(slog.DiscardHandler),
		TLSCert: pki["server.crt"], TLSKey: pki["server.key"]})
	if err != nil {
		t.Fatal(err)
	}
	n.Start()
	t.Cleanup(func() {
		if err := n.Close(); err != nil {
			t.Error(err)
		}
	})
	if !strings.HasPrefix(n.URL(), "https://") {
		t.Fatalf("URL() = %q, want https://", n.URL())
	}
	caPEM, err := os.ReadFile(pki["ca.crt"])
	if err != nil {
		t.Fatal(err)
	}
	roots := x509.NewCertPool()
	roots.AppendCertsFromPEM(caPEM)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{TLSClientConfig: &tls.Config{RootCAs: roots}}}
	req, _ := http.NewRequest(http.MethodPost, n.URL(), strings.NewReader(`{}`))
	req.Header.Set("X-Amz-Target", "DynamoDB_20120810.ListTables")
	resp, err := client.Do(req)
	if err != nil {
		t.Fatalf("ListTables over HTTPS: %v", err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || !strings.Contains(string(body), "TableNames") {
		t.Fatalf("ListTables over HTTPS: %d %s", resp.StatusCode, body)
	}
	if cn := resp.TLS.PeerCertificates[0].Subject.CommonName; cn != "server" {
		t.Errorf("served certificate %q, want the configured one (server)", cn)
	}
	plain := &http.Client{Timeout: 10 * time.Second}
	if resp, err := plain.Get("http://" + n.Addr().String() + "/"); err == nil {
		resp.Body.Close()
		if resp.StatusCode == http.StatusOK {
			t.Error("plain HTTP got 200 from an HTTPS node")
		}
	}
}

// TestRegionTLSConfigErrors: a certificate without its key, or files that
// do not hold a certificate, stop the node from starting with a message
// that names the problem.
func TestRegionTLSConfigErrors(t *testing.T) {
	pki := testPKI(t, t.TempDir())
	c := Config{TLSCert: pki["server.crt"]}
	c.EnsureDefaults()
	if err := c.Validate(); err == nil || !strings.Contains(err.Error(), "both a TLS certificate and its key") {
		t.Errorf("Validate with a certificate and no key = %v", err)
	}
	_, err := Open(Config{Region: "eu-west-1", DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		NATS: NATSConfig{Listen: "127.0.0.1:0"}, Logger: slog.New(slog.DiscardHandler),
		TLSCert: pki["server.crt"], TLSKey: pki["client.key"]})
	if err == nil || !strings.Contains(err.Error(), "TLS certificate") || !strings.Contains(err.Error(), "server.crt") {
		t.Errorf("Open with a key of another certificate = %v, want an error naming the files", err)
	}
	_, err = Open(Config{Region: "eu-west-1", DataDir: t.TempDir(), Listen: "127.0.0.1:0",
		NATS: NATSConfig{Listen: "127.0.0.1:0"}, Logger: slog.New(slog.DiscardHandler),
		TLSCert: "/no/such/cert.pem", TLSKey: pki["server.key"]})
	if err == nil || !strings.Contains(err.Error(), "/no/such/cert.pem") {
		t.Errorf("Open with a missing certificate file = %v", err)
	}
}

// TestRegionCertReload: a changed certificate is served after the next
// check; a broken one leaves the previous certificate in use.
func TestRegionCertReload(t *testing.T) {
	dir := t.TempDir()
	pki := testPKI(t, dir)
	certFile, keyFile := filepath.Join(dir, "live.crt"), filepath.Join(dir, "live.key")
	install := func(crt, key []byte, mod time.Time) {
		t.Helper()
		for f, b := range map[string][]byte{certFile: crt, keyFile: key} {
			if err := os.WriteFile(f, b, 0o600); err != nil {
				t.Fatal(err)
			}
			if err := os.Chtimes(f, mod, mod); err != nil {
				t.Fatal(err)
			}
		}
	}
	read := func(name string) []byte {
		b, err := os.ReadFile(pki[name])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	t0 := time.Now().Add(-time.Hour)
	install(read("server.crt"), read("server.key"), t0)
	r, err := newCertReloader(certFile, keyFile, slog.New(slog.DiscardHandler))
	if err != nil {
		t.Fatal(err)
	}
	clock := time.Now()
	r.now = func() time.Time { return clock }
	served := func() string {
		t.Helper()
		c, err := r.getCertificate(nil)
		if err != nil {
			t.Fatal(err)
		}
		return c.Leaf.Subject.CommonName
	}
	if got := served(); got != "server" {
		t.Fatalf("served %q, want server", got)
	}

	install(read("client.crt"), read("client.key"), t0.Add(time.Minute))
	if got := served(); got != "server" {
		t.Errorf("served %q before the next check, want server still", got)
	}
	clock = clock.Add(certCheckInterval)
	if got := served(); got != "client" {
		t.Errorf("served %q after the files changed, want client", got)
	}

	install([]byte("not a certificate"), read("client.key"), t0.Add(2*time.Minute))
	clock = clock.Add(certCheckInterval)
	if got := served(); got != "client" {
		t.Errorf("served %q after a broken certificate was written, want the previous one (client)", got)
	}
}
