package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"
	"slices"
	"strings"

	"github.com/concorddb/concord/region"
)

// runServe runs one region node until ctx is done. On startup it prints
// exactly two lines to stdout, "listening on http://HOST:PORT" and then
// "nats on nats://HOST:PORT" (the embedded server's bound client URL, or
// --nats-url); logs go to stderr.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("concord serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg region.Config
	var logLevel string
	fs.StringVar(&cfg.Region, "region", region.DefaultRegion, "region this node serves")
	fs.StringVar(&cfg.DataDir, "data", "", "data directory (default ./"+region.DefaultDataRoot+"/<region>)")
	fs.StringVar(&cfg.Listen, "listen", region.DefaultListen, "HTTP listen address host:port (port 0 picks a free one)")
	fs.StringVar(&cfg.TLSCert, "tls-cert", "", "PEM certificate (with its chain) to serve HTTPS instead of HTTP on --listen (with --tls-key; re-read when it changes)")
	fs.StringVar(&cfg.TLSKey, "tls-key", "", "PEM key of --tls-cert")
	fs.StringVar(&cfg.Endpoint, "endpoint", "", "address DescribeEndpoints reports (default: the request's Host)")
	fs.BoolVar(&cfg.Pprof, "pprof", false, "serve net/http/pprof under /debug/pprof/")
	fs.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
	fs.StringVar(&cfg.NATS.Listen, "nats-listen", region.DefaultNATSListen, "embedded NATS client address host:port (port 0 picks a free one)")
	fs.StringVar(&cfg.NATS.URL, "nats-url", "", "external NATS URL to use instead of the embedded server")
	fs.Func("peer", "replicate from another region, REGION=NATS_URL (repeatable)", func(v string) error {
		p, err := parsePeer(v)
		if err != nil {
			return err
		}
		cfg.Peers = append(cfg.Peers, p)
		return nil
	})
	authFile := fs.String("auth-file", "", "require AWS Signature V4 with the access keys in this file (lines ACCESS_KEY_ID SECRET); default: accept any")
	fs.IntVar(&cfg.NATS.StreamReplicas, "stream-replicas", 1, "replicas of this region's change stream in an external NATS cluster (3 in production; the embedded server holds 1)")
	fs.StringVar(&cfg.NATS.Client.CredsFile, "nats-creds", "", "NATS credentials file (user JWT and seed) for the external NATS and the peers'")
	fs.StringVar(&cfg.NATS.Client.NKeyFile, "nats-nkey", "", "NATS nkey seed file for the external NATS and the peers'")
	fs.StringVar(&cfg.NATS.Client.TLSCA, "nats-tls-ca", "", "PEM CA bundle that signs the NATS servers' certificates, for tls:// URLs (default: the system's)")
	fs.StringVar(&cfg.NATS.Client.TLSCert, "nats-tls-cert", "", "PEM client certificate for tls:// NATS servers that verify clients (with --nats-tls-key)")
	fs.StringVar(&cfg.NATS.Client.TLSKey, "nats-tls-key", "", "PEM key of --nats-tls-cert")
	perPeer := map[string]*region.NATSClient{}
	for _, f := range []struct {
		name, usage string
		field       func(*region.NATSClient) *string
	}{
		{"peer-creds", "NATS credentials file for one peer's NATS, REGION=FILE, in place of --nats-creds/--nats-nkey (repeatable)", func(c *region.NATSClient) *string { return &c.CredsFile }},
		{"peer-nkey", "NATS nkey seed file for one peer's NATS, REGION=FILE, in place of --nats-creds/--nats-nkey (repeatable)", func(c *region.NATSClient) *string { return &c.NKeyFile }},
		{"peer-tls-ca", "PEM CA bundle for one peer's tls:// NATS, REGION=FILE, in place of --nats-tls-ca (repeatable)", func(c *region.NATSClient) *string { return &c.TLSCA }},
		{"peer-tls-cert", "PEM client certificate for one peer's tls:// NATS, REGION=FILE, with --peer-tls-key (repeatable)", func(c *region.NATSClient) *string { return &c.TLSCert }},
		{"peer-tls-key", "PEM key of --peer-tls-cert, REGION=FILE (repeatable)", func(c *region.NATSClient) *string { return &c.TLSKey }},
	} {
		fs.Func(f.name, f.usage, func(v string) error {
			name, file, ok := strings.Cut(v, "=")
			name, file = strings.TrimSpace(name), strings.TrimSpace(file)
			if !ok || name == "" || file == "" {
				return fmt.Errorf("want REGION=FILE, got %q", v)
			}
			if perPeer[name] == nil {
				perPeer[name] = &region.NATSClient{}
			}
			*f.field(perPeer[name]) = file
			return nil
		})
	}
	fs.DurationVar(&cfg.ClockOffset, "clock-offset", 0, "add this to the wall clock the node's HLC reads (testing skew), e.g. -2s")
	fs.DurationVar(&cfg.MaxClockOffset, "max-clock-offset", region.DefaultMaxClockOffset, "largest expected clock skew; remote timestamps further ahead are applied, logged and counted, but move this node's clock no further ahead")
	fs.DurationVar(&cfg.TombstoneRetention, "tombstone-retention", region.DefaultTombstoneRetention, "how long deletes are kept as tombstones and changes kept in the region's stream (at least 1m)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return ExitOK
		}
		return ExitUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "concord serve: unexpected arguments %q\n", fs.Args())
		return ExitUsage
	}
	if err := attachPeerClients(cfg.Peers, perPeer); err != nil {
		fmt.Fprintf(stderr, "concord serve: %v\n", err)
		return ExitUsage
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		fmt.Fprintf(stderr, "concord serve: invalid --log-level %q: use debug, info, warn or error\n", logLevel)
		return ExitUsage
	}
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join(region.DefaultDataRoot, cfg.Region)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))
	if *authFile != "" {
		creds, err := region.LoadCredentials(*authFile)
		if err != nil {
			cfg.Logger.Error("concord: cannot start", "err", err)
			return ExitError
		}
		cfg.Credentials = creds
	}

	n, err := region.Open(cfg)
	if err != nil {
		cfg.Logger.Error("concord: cannot start", "err", err)
		return ExitError
	}
	fmt.Fprintf(stdout, "listening on %s\nnats on %s\n", n.URL(), n.NATSURL())
	if err := n.Serve(ctx); err != nil {
		cfg.Logger.Error("concord: stopped with an error", "err", err)
		return ExitError
	}
	return ExitOK
}

// attachPeerClients gives each peer the files the --peer-* flags named for
// its region; a region without a --peer is an error.
func attachPeerClients(peers []region.Peer, perPeer map[string]*region.NATSClient) error {
	for name, c := range perPeer {
		i := slices.IndexFunc(peers, func(p region.Peer) bool { return p.Region == name })
		if i < 0 {
			return fmt.Errorf("--peer-* flags name region %q, which has no --peer", name)
		}
		peers[i].Client = c
	}
	return nil
}

// parsePeer parses a --peer value, REGION=NATS_URL.
func parsePeer(v string) (region.Peer, error) {
	name, url, ok := strings.Cut(v, "=")
	name, url = strings.TrimSpace(name), strings.TrimSpace(url)
	if !ok || name == "" || url == "" {
		return region.Peer{}, fmt.Errorf("want REGION=NATS_URL, got %q", v)
	}
	if !region.ValidRegion(name) {
		return region.Peer{}, fmt.Errorf("invalid region %q", name)
	}
	return region.Peer{Region: name, URL: url}, nil
}
