package region

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/cockroachdb/pebble/v2/vfs"
)

// Defaults for Config.
const (
	// DefaultRegion is the region a node serves when Config.Region is empty.
	DefaultRegion = "us-east-1"
	// DefaultListen is the HTTP listen address.
	DefaultListen = "127.0.0.1:8000"
	// DefaultDataRoot is the directory under which a node keeps
	// <region>/ when Config.DataDir is empty.
	DefaultDataRoot = "concord-data"
	// DefaultMaxBodyBytes is DynamoDB's request size limit.
	DefaultMaxBodyBytes = 16 << 20
	// DefaultShutdownTimeout bounds how long Close waits for requests in
	// flight.
	DefaultShutdownTimeout = 10 * time.Second
	// DefaultMaxClockOffset is the largest expected clock skew between
	// regions; remote timestamps further ahead are logged and counted, and
	// move the local clock no further than this ahead of the wall clock.
	DefaultMaxClockOffset = 500 * time.Millisecond
	// DefaultTombstoneRetention is how long deletes are kept as tombstones
	// and changes kept in the region's stream.
	DefaultTombstoneRetention = 24 * time.Hour
	// MinTombstoneRetention is the shortest TombstoneRetention Validate
	// accepts. A tombstone must outlive every older write of its item
	// still on its way from another region, and a change must stay in
	// the stream until every peer has read it. On a healthy link a
	// change can be in flight for over half a minute: a replicator
	// redelivers what it had not acknowledged after JetStream's ack wait
	// (30 s), a publisher gives up on an acknowledgement after 10 s, and
	// maintenance purges every 30 s. Below a minute, ordinary hiccups
	// would lose deletes and changes.
	MinTombstoneRetention = time.Minute
	// DefaultNATSListen is the embedded NATS server's client address.
	DefaultNATSListen = "127.0.0.1:4222"
	// DefaultNATSMaxMemory bounds the embedded JetStream's memory store.
	DefaultNATSMaxMemory = 256 << 20
	// DefaultNATSMaxStore bounds the embedded JetStream's file store.
	DefaultNATSMaxStore = 10 << 30
)

// Config is a region node's configuration. The zero value works: it serves
// us-east-1 from ./concord-data/us-east-1 on 127.0.0.1:8000.
type Config struct {
	// Region is the region this node serves, e.g. "us-east-1". It names
	// ARNs and, later, the node's change subjects. Default DefaultRegion.
	Region string
	// DataDir holds the node's state (the Pebble store in DataDir/pebble).
	// Default ./concord-data/<Region>.
	DataDir string
	// FS is the filesystem for the store; default the OS. Tests may pass
	// vfs.NewMem().
	FS vfs.FS
	// Listen is the HTTP listen address, host:port. Port 0 (or -1, the
	// project's convention) picks a free port; Node.Addr reports it.
	// Default DefaultListen.
	Listen string
	// TLSCert and TLSKey are PEM files of a certificate (with its chain)
	// and its key: when set, the node serves HTTPS instead of HTTP on
	// Listen. Both or neither. The node re-reads them when they change.
	TLSCert, TLSKey string
	// Endpoint is the address DescribeEndpoints answers with. Default: the
	// Host header of each request.
	Endpoint string
	// Logger receives the node's logs; default slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies after decompression; default
	// DefaultMaxBodyBytes (16 MiB).
	MaxBodyBytes int64
	// ShutdownTimeout bounds how long Close waits for requests in flight;
	// default DefaultShutdownTimeout.
	ShutdownTimeout time.Duration
	// MaxClockOffset is the largest expected clock skew between regions. A
	// replicated timestamp further ahead of this node's clock is still
	// applied (no data is dropped) but moves the node's hybrid logical
	// clock only to wall clock + MaxClockOffset, and is logged and counted
	// as "skewed" in the replication status. Default DefaultMaxClockOffset
	// (500ms).
	MaxClockOffset time.Duration
	// Pprof mounts net/http/pprof under /debug/pprof/ on the API listener.
	// Default false.
	Pprof bool
	// ClockOffset is added to the wall clock the node's hybrid logical
	// clock reads. Tests use it to simulate a region whose clock is behind
	// (negative) or ahead (positive). Default 0.
	ClockOffset time.Duration
	// TombstoneRetention is how long deletes are remembered as tombstones,
	// and how long this region's change stream keeps changes for peers that
	// are away. It must exceed the longest partition a region is expected
	// to survive: a peer that returns later misses changes and must be
	// re-seeded. Default DefaultTombstoneRetention (24h). Older tombstones
	// are purged, and the change log (which DynamoDB Streams reads) is
	// trimmed to the same window (maintenance.go). Validate refuses less
	// than MinTombstoneRetention (1m).
	TombstoneRetention time.Duration
	// Credentials maps access key IDs to secret keys: when set, every
	// DynamoDB request must be signed (AWS Signature Version 4) with one of
	// them. Default nil: any credentials are accepted, as by DynamoDB
	// Local. LoadCredentials reads them from a file.
	Credentials map[string]string
	// NATS configures the NATS server the node publishes its changes to
	// (embedded by default).
	NATS NATSConfig
	// Peers are the other regions this node replicates from, each reached
	// at its NATS URL. More can be added and removed at run time with
	// Node.AddPeer and Node.RemovePeer (POST and DELETE /admin/peers).
	// Default none: the node runs alone.
	Peers []Peer
}

// Peer is another region whose change stream this node consumes.
type Peer struct {
	// Region is the peer's region name, e.g. "eu-west-1".
	Region string `json:"region"`
	// URL is the peer's NATS client URL, e.g. "nats://10.0.0.2:4222".
	URL string `json:"url"`
	// Client, when set, holds files for this peer's NATS that differ from
	// the node's NATSConfig.Client (see NATSClient.forPeer): the
	// credentials another region's NATS issued to this one, say.
	Client *NATSClient `json:"client,omitempty"`
}

// Validate reports what is wrong with p as a peer of region self.
func (p Peer) Validate(self string) error {
	var errs []error
	if !ValidRegion(p.Region) {
		errs = append(errs, fmt.Errorf("region: invalid peer region %q", p.Region))
	} else if p.Region == self {
		errs = append(errs, fmt.Errorf("region: peer region %q is this node's own region", p.Region))
	}
	if p.URL == "" {
		errs = append(errs, fmt.Errorf("region: peer %q has no URL", p.Region))
	}
	if p.Client != nil {
		if err := p.Client.validate(); err != nil {
			errs = append(errs, fmt.Errorf("for peer %q: %w", p.Region, err))
		}
	}
	return errors.Join(errs...)
}

// NATSConfig configures the node's NATS. By default the node embeds a
// nats-server with JetStream; URL points it at an external NATS instead.
type NATSConfig struct {
	// URL of an external NATS (nats://host:4222) to publish to instead of
	// running an embedded server. Default empty: embedded.
	URL string
	// Listen is the embedded server's client address, host:port. Port 0
	// (or -1) picks a free port; Node.NATSURL reports it. Default
	// DefaultNATSListen.
	Listen string
	// StoreDir is where the embedded server keeps JetStream files. Default
	// DataDir/nats.
	StoreDir string
	// MaxMemory bounds the embedded JetStream's memory storage, in bytes.
	// Default DefaultNATSMaxMemory.
	MaxMemory int64
	// MaxStore bounds the embedded JetStream's file storage, in bytes.
	// Default DefaultNATSMaxStore.
	MaxStore int64
	// StreamReplicas is the replica count of this region's change stream
	// (streams.StreamName). An external NATS cluster should keep it on 3
	// servers, so that losing one loses no change a peer has not read yet;
	// the embedded server holds 1. The node sets it on the stream at every
	// start. Default 1.
	StreamReplicas int
	// Client holds the credentials and TLS files of the node's NATS
	// connections: to an external NATS (URL) and to every peer's.
	Client NATSClient
}

// NATSClient is how the node authenticates to NATS servers and verifies
// them. Every field is a file path; empty means unused. Credentials in a
// file keep secrets out of URLs, and so out of the process list.
type NATSClient struct {
	// CredsFile is a NATS credentials file (a user JWT and its nkey seed),
	// for servers in operator (JWT) mode.
	CredsFile string `json:"creds,omitempty"`
	// NKeyFile holds an nkey seed ("SU..."), for servers that list nkey
	// users.
	NKeyFile string `json:"nkey,omitempty"`
	// TLSCA is a PEM bundle of the CAs that sign the servers' certificates;
	// default the system's roots. The TLS files apply to tls:// URLs only.
	TLSCA string `json:"tlsCA,omitempty"`
	// TLSCert and TLSKey are a PEM client certificate and its key, for
	// servers that verify clients (mutual TLS). Both or neither.
	TLSCert string `json:"tlsCert,omitempty"`
	TLSKey  string `json:"tlsKey,omitempty"`
}

// forPeer returns the files for a peer's NATS: the node's (c), with what
// the peer sets (own, may be nil) in their place. The credentials go
// together (a peer's creds or nkey file replaces both of the node's), and
// so do the client certificate and its key.
func (c NATSClient) forPeer(own *NATSClient) NATSClient {
	if own == nil {
		return c
	}
	if own.CredsFile != "" || own.NKeyFile != "" {
		c.CredsFile, c.NKeyFile = own.CredsFile, own.NKeyFile
	}
	if own.TLSCA != "" {
		c.TLSCA = own.TLSCA
	}
	if own.TLSCert != "" || own.TLSKey != "" {
		c.TLSCert, c.TLSKey = own.TLSCert, own.TLSKey
	}
	return c
}

// validate reports unusable settings: a certificate without its key, both
// a creds file and an nkey file, or a file that cannot be read.
func (c NATSClient) validate() error {
	var errs []error
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("region: a NATS client certificate needs its key, and a key its certificate"))
	}
	if c.CredsFile != "" && c.NKeyFile != "" {
		errs = append(errs, errors.New("region: give a NATS creds file or an nkey seed file, not both"))
	}
	for _, f := range []struct{ what, path string }{
		{"NATS creds file", c.CredsFile}, {"NATS nkey seed file", c.NKeyFile}, {"NATS TLS CA file", c.TLSCA},
		{"NATS TLS certificate", c.TLSCert}, {"NATS TLS key", c.TLSKey},
	} {
		if f.path == "" {
			continue
		}
		if fh, err := os.Open(f.path); err != nil {
			errs = append(errs, fmt.Errorf("region: %s: %w", f.what, err))
		} else {
			fh.Close()
		}
	}
	if len(errs) == 0 {
		if _, err := c.options(""); err != nil { // a seed file that holds no seed
			errs = append(errs, err)
		}
	}
	return errors.Join(errs...)
}

// EnsureDefaults fills zero fields with their defaults.
func (c *Config) EnsureDefaults() {
	if c.Region == "" {
		c.Region = DefaultRegion
	}
	if c.DataDir == "" {
		c.DataDir = filepath.Join(DefaultDataRoot, c.Region)
	}
	if c.Listen == "" {
		c.Listen = DefaultListen
	}
	if c.Logger == nil {
		c.Logger = slog.Default()
	}
	if c.MaxBodyBytes <= 0 {
		c.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if c.ShutdownTimeout <= 0 {
		c.ShutdownTimeout = DefaultShutdownTimeout
	}
	if c.MaxClockOffset <= 0 {
		c.MaxClockOffset = DefaultMaxClockOffset
	}
	if c.TombstoneRetention == 0 {
		c.TombstoneRetention = DefaultTombstoneRetention
	}
	if c.NATS.URL == "" {
		if c.NATS.Listen == "" {
			c.NATS.Listen = DefaultNATSListen
		}
		if c.NATS.StoreDir == "" {
			c.NATS.StoreDir = filepath.Join(c.DataDir, "nats")
		}
		if c.NATS.MaxMemory <= 0 {
			c.NATS.MaxMemory = DefaultNATSMaxMemory
		}
		if c.NATS.MaxStore <= 0 {
			c.NATS.MaxStore = DefaultNATSMaxStore
		}
	}
	if c.NATS.StreamReplicas <= 0 {
		c.NATS.StreamReplicas = 1
	}
}

// Validate reports every problem with c together. Call it after
// EnsureDefaults.
func (c *Config) Validate() error {
	var errs []error
	if !ValidRegion(c.Region) {
		errs = append(errs, fmt.Errorf("region: invalid region %q: use lowercase letters, digits and dashes, like us-east-1", c.Region))
	}
	if c.DataDir == "" {
		errs = append(errs, errors.New("region: data dir is empty"))
	}
	if _, port, err := net.SplitHostPort(c.Listen); err != nil {
		errs = append(errs, fmt.Errorf("region: invalid listen address %q: %w", c.Listen, err))
	} else if port == "" {
		errs = append(errs, fmt.Errorf("region: listen address %q has no port", c.Listen))
	}
	if (c.TLSCert == "") != (c.TLSKey == "") {
		errs = append(errs, errors.New("region: give both a TLS certificate and its key, or neither"))
	}
	if c.TombstoneRetention < MinTombstoneRetention {
		errs = append(errs, fmt.Errorf("region: tombstone retention %v is below the minimum %v: deletes and changes must outlive replication's retries", c.TombstoneRetention, MinTombstoneRetention))
	}
	if c.NATS.URL == "" {
		if _, port, err := net.SplitHostPort(c.NATS.Listen); err != nil {
			errs = append(errs, fmt.Errorf("region: invalid NATS listen address %q: %w", c.NATS.Listen, err))
		} else if p, err := strconv.Atoi(port); err != nil || p < -1 || p > 65535 {
			errs = append(errs, fmt.Errorf("region: NATS listen address %q has no valid port", c.NATS.Listen))
		}
	}
	switch r := c.NATS.StreamReplicas; {
	case r < 1 || r > 5:
		errs = append(errs, fmt.Errorf("region: stream replicas %d: JetStream allows 1 to 5", r))
	case r > 1 && c.NATS.URL == "":
		errs = append(errs, fmt.Errorf("region: stream replicas %d need an external NATS cluster (a NATS URL); the embedded server holds 1", r))
	}
	if err := c.NATS.Client.validate(); err != nil {
		errs = append(errs, err)
	}
	seen := map[string]bool{}
	for _, p := range c.Peers {
		if err := p.Validate(c.Region); err != nil {
			errs = append(errs, err)
		}
		if seen[p.Region] {
			errs = append(errs, fmt.Errorf("region: peer %q listed twice", p.Region))
		}
		seen[p.Region] = true
	}
	return errors.Join(errs...)
}

// ValidRegion reports whether name can name a region: it appears in ARNs
// and NATS subjects, so it is limited to [a-z0-9-], 1-64 characters.
func ValidRegion(name string) bool { return validRegion(name) }

// validRegion reports whether name can name a region: it appears in ARNs
// and NATS subjects, so it is limited to [a-z0-9-], 1-64 characters.
func validRegion(name string) bool {
	if name == "" || len(name) > 64 || strings.HasPrefix(name, "-") {
		return false
	}
	for _, c := range name {
		if !(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-') {
			return false
		}
	}
	return true
}

// listenAddr maps the project's "-1 means a free port" to net.Listen's 0.
func listenAddr(addr string) string {
	if host, port, err := net.SplitHostPort(addr); err == nil && port == "-1" {
		return net.JoinHostPort(host, "0")
	}
	return addr
}

// LoadCredentials reads access keys from a file of lines
// "ACCESS_KEY_ID SECRET_ACCESS_KEY"; blank lines and lines starting with #
// are ignored.
func LoadCredentials(path string) (map[string]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("region: credentials file: %w", err)
	}
	creds := map[string]string{}
	for i, line := range strings.Split(string(b), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		if len(f) != 2 {
			return nil, fmt.Errorf("region: credentials file %s line %d: want ACCESS_KEY_ID SECRET_ACCESS_KEY", path, i+1)
		}
		creds[f[0]] = f[1]
	}
	if len(creds) == 0 {
		return nil, fmt.Errorf("region: credentials file %s holds no access key", path)
	}
	return creds, nil
}
