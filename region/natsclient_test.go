package region

import (
	"context"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/pem"
	"fmt"
	"io"
	"math/big"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/concorddb/concord/streams"
	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
	"github.com/nats-io/nkeys"
)

// testPKI writes a CA and a certificate and key for "server" and "client"
// (both for 127.0.0.1) into dir, and returns the paths by name: ca.crt,
// server.crt, server.key, client.crt, client.key.
func testPKI(t *testing.T, dir string) map[string]string {
	t.Helper()
	paths := map[string]string{}
	write := func(name, typ string, der []byte) {
		p := filepath.Join(dir, name)
		if err := os.WriteFile(p, pem.EncodeToMemory(&pem.Block{Type: typ, Bytes: der}), 0o600); err != nil {
			t.Fatal(err)
		}
		paths[name] = p
	}
	caKey, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	now := time.Now()
	caTmpl := &x509.Certificate{SerialNumber: big.NewInt(1), Subject: pkix.Name{CommonName: "test CA"},
		NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
		IsCA: true, BasicConstraintsValid: true, KeyUsage: x509.KeyUsageCertSign}
	caDER, err := x509.CreateCertificate(rand.Reader, caTmpl, caTmpl, &caKey.PublicKey, caKey)
	if err != nil {
		t.Fatal(err)
	}
	ca, _ := x509.ParseCertificate(caDER)
	write("ca.crt", "CERTIFICATE", caDER)
	for i, name := range []string{"server", "client"} {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		tmpl := &x509.Certificate{SerialNumber: big.NewInt(int64(i + 2)), Subject: pkix.Name{CommonName: name},
			NotBefore: now.Add(-time.Hour), NotAfter: now.Add(time.Hour),
			IPAddresses: []net.IP{net.IPv4(127, 0, 0, 1)}, KeyUsage: x509.KeyUsageDigitalSignature,
			ExtKeyUsage: []x509.ExtKeyUsage{x509.ExtKeyUsageServerAuth, x509.ExtKeyUsageClientAuth}}
		der, err := x509.CreateCertificate(rand.Reader, tmpl, ca, &key.PublicKey, caKey)
		if err != nil {
			t.Fatal(err)
		}
		keyDER, err := x509.MarshalECPrivateKey(key)
		if err != nil {
			t.Fatal(err)
		}
		write(name+".crt", "CERTIFICATE", der)
		write(name+".key", "EC PRIVATE KEY", keyDER)
	}
	return paths
}

// startJetStream starts a nats-server with JetStream on a free port,
// tweaked by f, and stops it when the test ends.
func startJetStream(t *testing.T, f func(*server.Options)) *server.Server {
	t.Helper()
	opts := &server.Options{Host: "127.0.0.1", Port: server.RANDOM_PORT, JetStream: true,
		StoreDir: t.TempDir(), NoSigs: true, NoLog: true}
	if f != nil {
		f(opts)
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		t.Fatal(err)
	}
	ns.Start()
	if !ns.ReadyForConnections(10 * time.Second) {
		t.Fatal("nats-server not ready")
	}
	t.Cleanup(ns.Shutdown)
	return ns
}

// TestRegionNATSClientTLSAndNKey: a region publishes to an external NATS
// that requires a client certificate and an nkey user, and a peer
// replicates from it with the same files; a peer without them gets nothing.
func TestRegionNATSClientTLSAndNKey(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	pki := testPKI(t, dir)
	user, err := nkeys.CreateUser()
	if err != nil {
		t.Fatal(err)
	}
	seed, _ := user.Seed()
	pub, _ := user.PublicKey()
	seedFile := filepath.Join(dir, "user.nk")
	if err := os.WriteFile(seedFile, seed, 0o600); err != nil {
		t.Fatal(err)
	}
	tlsConf, err := server.GenTLSConfig(&server.TLSConfigOpts{CertFile: pki["server.crt"], KeyFile: pki["server.key"],
		CaFile: pki["ca.crt"], Verify: true})
	if err != nil {
		t.Fatal(err)
	}
	ext := startJetStream(t, func(o *server.Options) {
		o.TLS, o.TLSVerify, o.TLSConfig = true, true, tlsConf
		o.Nkeys = []*server.NkeyUser{{Nkey: pub}}
	})
	url := fmt.Sprintf("tls://127.0.0.1:%d", ext.Addr().(*net.TCPAddr).Port)
	client := NATSClient{NKeyFile: seedFile, TLSCA: pki["ca.crt"], TLSCert: pki["client.crt"], TLSKey: pki["client.key"]}

	a := startNode(t, "us-east-1", func(c *Config) { c.NATS = NATSConfig{URL: url, Client: client} })
	b := startNode(t, "eu-west-1", func(c *Config) {
		c.NATS.Client = client
		c.Peers = []Peer{{Region: "us-east-1", URL: url}}
	})
	// No client certificate or nkey: the server refuses it.
	c := startNode(t, "ap-southeast-2", func(c *Config) {
		c.NATS.Client = NATSClient{TLSCA: pki["ca.crt"]}
		c.Peers = []Peer{{Region: "us-east-1", URL: url}}
	})
	ddb(t, a, "CreateTable", createT)
	put(t, a, "k1", "v1")
	eventually(t, 15*time.Second, converged(t, 1, a, b))
	if st := getStatus(t, a); !st.Publisher.Connected {
		t.Errorf("a's publisher is not connected to its TLS NATS: %+v", st.Publisher)
	}
	for _, r := range getStatus(t, c).Replication {
		if r.Connected || r.Applied > 0 {
			t.Errorf("a peer without client certificate or nkey got in: %+v", r)
		}
	}
	if st := getStatus(t, c); len(st.Tables) != 0 {
		t.Errorf("a peer without credentials holds tables %+v", st.Tables)
	}
}

// TestRegionStreamReplicas: with an external three-server JetStream
// cluster, --stream-replicas 3 puts the region's change stream on all
// three, and replication through it works.
func TestRegionStreamReplicas(t *testing.T) {
	t.Parallel()
	ports := make([]int, 3)
	for i := range ports {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		ports[i] = ln.Addr().(*net.TCPAddr).Port
		ln.Close()
	}
	var servers []*server.Server
	for i := range ports {
		servers = append(servers, startJetStream(t, func(o *server.Options) {
			o.ServerName = fmt.Sprint("n", i)
			o.Cluster = server.ClusterOpts{Name: "c", Host: "127.0.0.1", Port: ports[i]}
			for j, p := range ports {
				if j != i {
					o.Routes = append(o.Routes, server.RoutesFromStr(fmt.Sprintf("nats://127.0.0.1:%d", p))...)
				}
			}
		}))
	}
	url := servers[0].ClientURL()
	// The cluster is ready for a replicated stream once it has a
	// JetStream meta leader and every server is current.
	eventually(t, 30*time.Second, func() error {
		for _, s := range servers {
			if !s.JetStreamIsCurrent() {
				return fmt.Errorf("%s is not current", s.Name())
			}
		}
		return nil
	})
	a := startNode(t, "us-east-1", func(c *Config) { c.NATS = NATSConfig{URL: url, StreamReplicas: 3} })
	b := startNode(t, "eu-west-1", func(c *Config) { c.Peers = []Peer{{Region: "us-east-1", URL: servers[2].ClientURL()}} })
	ddb(t, a, "CreateTable", createT)
	put(t, a, "k1", "v1")
	eventually(t, 30*time.Second, converged(t, 1, a, b))

	nc, err := nats.Connect(url)
	if err != nil {
		t.Fatal(err)
	}
	defer nc.Close()
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	st, err := js.Stream(context.Background(), streams.StreamName("us-east-1"))
	if err != nil {
		t.Fatal(err)
	}
	info, err := st.Info(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if got := info.Config.Replicas; got != 3 {
		t.Fatalf("stream replicas = %d, want 3", got)
	}
	if info.Cluster == nil || len(info.Cluster.Replicas) != 2 {
		t.Fatalf("stream cluster = %+v, want a leader and 2 replicas", info.Cluster)
	}
}

// TestRegionNATSClientCreds: a region publishes to an external NATS in
// operator (JWT) mode with a .creds file, and a peer replicates from it
// with the same file.
func TestRegionNATSClientCreds(t *testing.T) {
	t.Parallel()
	must := func(v string, err error) string {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	op, _ := nkeys.CreateOperator()
	opPub := must(op.PublicKey())
	opClaims := jwt.NewOperatorClaims(opPub)
	opJWT := must(opClaims.Encode(op))
	opDecoded, err := jwt.DecodeOperatorClaims(opJWT)
	if err != nil {
		t.Fatal(err)
	}
	resolver := &server.MemAccResolver{}
	account := func(jetStream bool) (nkeys.KeyPair, string) {
		kp, _ := nkeys.CreateAccount()
		pub := must(kp.PublicKey())
		ac := jwt.NewAccountClaims(pub)
		if jetStream {
			ac.Limits.JetStreamLimits = jwt.JetStreamLimits{MemoryStorage: -1, DiskStorage: -1, Streams: -1, Consumer: -1}
		}
		if err := resolver.Store(pub, must(ac.Encode(op))); err != nil {
			t.Fatal(err)
		}
		return kp, pub
	}
	_, sysPub := account(false)
	acc, _ := account(true)
	user, _ := nkeys.CreateUser()
	uc := jwt.NewUserClaims(must(user.PublicKey()))
	userJWT := must(uc.Encode(acc))
	seed, _ := user.Seed()
	creds, err := jwt.FormatUserConfig(userJWT, seed)
	if err != nil {
		t.Fatal(err)
	}
	credsFile := filepath.Join(t.TempDir(), "user.creds")
	if err := os.WriteFile(credsFile, creds, 0o600); err != nil {
		t.Fatal(err)
	}
	ext := startJetStream(t, func(o *server.Options) {
		o.TrustedOperators = []*jwt.OperatorClaims{opDecoded}
		o.AccountResolver = resolver
		o.SystemAccount = sysPub
	})
	url := ext.ClientURL()
	client := NATSClient{CredsFile: credsFile}
	a := startNode(t, "us-east-1", func(c *Config) { c.NATS = NATSConfig{URL: url, Client: client} })
	b := startNode(t, "eu-west-1", func(c *Config) {
		c.NATS.Client = client
		c.Peers = []Peer{{Region: "us-east-1", URL: url}}
	})
	c := startNode(t, "ap-southeast-2", func(c *Config) { c.Peers = []Peer{{Region: "us-east-1", URL: url}} })
	ddb(t, a, "CreateTable", createT)
	put(t, a, "k1", "v1")
	eventually(t, 15*time.Second, converged(t, 1, a, b))
	for _, r := range getStatus(t, c).Replication {
		if r.Connected || r.Applied > 0 {
			t.Errorf("a peer without the creds file got in: %+v", r)
		}
	}
}

// TestRegionPeerOwnNATSCredentials: a region replicates from two peers
// whose NATS servers each admit only their own nkey user, with a seed per
// peer (one from Config.Peers, one added through POST /admin/peers); a
// peer given the other server's seed is refused.
func TestRegionPeerOwnNATSCredentials(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	seeds, urls := map[string]string{}, map[string]string{}
	for _, name := range []string{"a", "b"} {
		user, err := nkeys.CreateUser()
		if err != nil {
			t.Fatal(err)
		}
		seed, _ := user.Seed()
		pub, _ := user.PublicKey()
		seeds[name] = filepath.Join(dir, name+".nk")
		if err := os.WriteFile(seeds[name], seed, 0o600); err != nil {
			t.Fatal(err)
		}
		ext := startJetStream(t, func(o *server.Options) { o.Nkeys = []*server.NkeyUser{{Nkey: pub}} })
		urls[name] = fmt.Sprintf("nats://127.0.0.1:%d", ext.Addr().(*net.TCPAddr).Port)
	}
	a := startNode(t, "us-east-1", func(c *Config) {
		c.NATS = NATSConfig{URL: urls["a"], Client: NATSClient{NKeyFile: seeds["a"]}}
	})
	b := startNode(t, "eu-west-1", func(c *Config) {
		c.NATS = NATSConfig{URL: urls["b"], Client: NATSClient{NKeyFile: seeds["b"]}}
	})
	c := startNode(t, "ap-southeast-2", func(c *Config) {
		c.Peers = []Peer{{Region: "us-east-1", URL: urls["a"], Client: &NATSClient{NKeyFile: seeds["a"]}}}
	})
	body := fmt.Sprintf(`{"region":"eu-west-1","url":%q,"client":{"nkey":%q}}`, urls["b"], seeds["b"])
	resp, err := http.Post(c.URL()+"/admin/peers", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("POST /admin/peers with a client: %d", resp.StatusCode)
	}
	wrong := startNode(t, "sa-east-1", func(c *Config) {
		c.Peers = []Peer{{Region: "eu-west-1", URL: urls["b"], Client: &NATSClient{NKeyFile: seeds["a"]}}}
	})

	ddb(t, a, "CreateTable", createT)
	put(t, a, "k1", "v1")
	ddb(t, b, "CreateTable", strings.Replace(createT, `"tbl"`, `"tbl2"`, 1))
	ddb(t, b, "PutItem", `{"TableName":"tbl2","Item":{"pk":{"S":"k2"}}}`)
	eventually(t, 15*time.Second, func() error {
		st := getStatus(t, c)
		got := map[string]int64{}
		for _, ts := range st.Tables {
			got[ts.Name] = ts.ItemCount
		}
		if got["tbl"] != 1 || got["tbl2"] != 1 {
			return fmt.Errorf("ap-southeast-2 holds %v, want tbl and tbl2 with 1 item each; replication %+v", got, st.Replication)
		}
		return nil
	})
	for _, r := range getStatus(t, c).Replication {
		if !r.Connected {
			t.Errorf("link %+v is not connected", r)
		}
	}
	for _, r := range getStatus(t, wrong).Replication {
		if r.Connected || r.Applied > 0 {
			t.Errorf("a peer with another server's seed got in: %+v", r)
		}
	}
	resp, err = http.Get(c.URL() + "/admin/peers")
	if err != nil {
		t.Fatal(err)
	}
	listed, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if !strings.Contains(string(listed), `"nkey":`) {
		t.Errorf("GET /admin/peers does not show the peers' files: %s", listed)
	}
}

func TestRegionNATSClientForPeer(t *testing.T) {
	node := NATSClient{CredsFile: "node.creds", TLSCA: "node-ca.pem", TLSCert: "node.crt", TLSKey: "node.key"}
	for _, tc := range []struct {
		own  *NATSClient
		want NATSClient
	}{
		{nil, node},
		{&NATSClient{NKeyFile: "peer.nk"}, NATSClient{NKeyFile: "peer.nk", TLSCA: "node-ca.pem", TLSCert: "node.crt", TLSKey: "node.key"}},
		{&NATSClient{TLSCA: "peer-ca.pem"}, NATSClient{CredsFile: "node.creds", TLSCA: "peer-ca.pem", TLSCert: "node.crt", TLSKey: "node.key"}},
		{&NATSClient{CredsFile: "peer.creds", TLSCert: "peer.crt", TLSKey: "peer.key"}, NATSClient{CredsFile: "peer.creds", TLSCA: "node-ca.pem", TLSCert: "peer.crt", TLSKey: "peer.key"}},
	} {
		if got := node.forPeer(tc.own); got != tc.want {
			t.Errorf("forPeer(%+v) = %+v, want %+v", tc.own, got, tc.want)
		}
	}
}
