package region

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"path/filepath"
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
	// regions; remote timestamps further ahead are logged and counted.
	DefaultMaxClockOffset = 500 * time.Millisecond
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
	// MaxClockOffset is the largest expected clock skew between regions;
	// default DefaultMaxClockOffset.
	MaxClockOffset time.Duration
	// Pprof mounts net/http/pprof under /debug/pprof/ on the API listener.
	// Default false.
	Pprof bool
	// NATS configures the messaging the node uses to exchange changes with
	// other regions. Not used yet: the next issue adds streams and
	// replication.
	NATS NATSConfig
}

// NATSConfig is the seam for the node's NATS connection. Not used yet.
type NATSConfig struct {
	// URL of an external NATS cluster (nats://host:4222). Empty means run
	// an embedded nats-server with JetStream, storing under
	// DataDir/nats.
	URL string
	// Listen is the embedded server's client address; empty means
	// in-process only (DontListen), -1 a free port.
	Listen string
	// Peers are the other regions' NATS URLs, by region name, which the
	// replicator consumes from.
	Peers map[string]string
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
}

// Validate reports every problem with c together. Call it after
// EnsureDefaults.
func (c *Config) Validate() error {
	var errs []error
	if !validRegion(c.Region) {
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
	return errors.Join(errs...)
}

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
