package region

import (
	"context"
	"fmt"
	"log/slog"
	"net"
	"strconv"
	"strings"
	"time"

	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
)

// natsReadyTimeout bounds how long Open waits for the embedded server.
const natsReadyTimeout = 30 * time.Second

// peerReconnectWait is the pause between attempts to reach a peer's NATS.
const peerReconnectWait = 250 * time.Millisecond

// startNATS starts the embedded nats-server with JetStream as cfg asks and
// waits until it accepts connections.
func startNATS(cfg *Config, log *slog.Logger) (*server.Server, error) {
	host, portStr, err := net.SplitHostPort(cfg.NATS.Listen)
	if err != nil {
		return nil, fmt.Errorf("region: NATS listen address %q: %w", cfg.NATS.Listen, err)
	}
	port, err := strconv.Atoi(portStr)
	if err != nil {
		return nil, fmt.Errorf("region: NATS listen port %q: %w", portStr, err)
	}
	if port == 0 {
		// nats-server reads 0 as "the default port 4222"; the project's
		// convention is that 0 and -1 both pick a free port.
		port = server.RANDOM_PORT
	}
	opts := &server.Options{
		ServerName:         cfg.Region,
		Host:               host,
		Port:               port,
		JetStream:          true,
		StoreDir:           cfg.NATS.StoreDir,
		JetStreamMaxMemory: cfg.NATS.MaxMemory,
		JetStreamMaxStore:  cfg.NATS.MaxStore,
		NoSigs:             true,
	}
	ns, err := server.NewServer(opts)
	if err != nil {
		return nil, fmt.Errorf("region: embedded nats: %w", err)
	}
	fatal := make(chan string, 1)
	ns.SetLoggerV2(natsLogger{log: log.With("component", "nats"), fatal: fatal}, false, false, false)
	ns.Start()
	// An embedded server does not exit on a fatal error (a port in use,
	// say): it logs it. Watch for that so Open fails at once.
	deadline := time.Now().Add(natsReadyTimeout)
	for !ns.ReadyForConnections(50 * time.Millisecond) {
		var why string
		select {
		case why = <-fatal:
		default:
			if time.Now().Before(deadline) {
				continue
			}
			why = fmt.Sprintf("not ready after %v", natsReadyTimeout)
		}
		ns.Shutdown()
		ns.WaitForShutdown()
		return nil, fmt.Errorf("region: embedded nats listen=%q: %s", cfg.NATS.Listen, why)
	}
	return ns, nil
}

// options returns the nats.go options for c's files, for a connection to
// url. The TLS files apply only to tls:// URLs: nats.go then requires TLS,
// which a plain nats:// server (a peer's, say) would refuse. The nkey seed
// file is read now (nats.go signs with the seed it holds); the others when
// a connection is made, so renewed certificates and credentials are picked
// up on reconnect.
func (c NATSClient) options(url string) ([]nats.Option, error) {
	var opts []nats.Option
	if c.CredsFile != "" {
		opts = append(opts, nats.UserCredentials(c.CredsFile))
	}
	if c.NKeyFile != "" {
		o, err := nats.NkeyOptionFromSeed(c.NKeyFile)
		if err != nil {
			return nil, fmt.Errorf("region: NATS nkey seed file %q: %w", c.NKeyFile, err)
		}
		opts = append(opts, o)
	}
	if !strings.Contains(strings.ToLower(url), "tls://") {
		return opts, nil
	}
	if c.TLSCA != "" {
		opts = append(opts, nats.RootCAs(c.TLSCA))
	}
	if c.TLSCert != "" {
		opts = append(opts, nats.ClientCert(c.TLSCert, c.TLSKey))
	}
	return opts, nil
}

// connectLocal connects to this region's own NATS: in process to the
// embedded server, or to the external URL.
func connectLocal(cfg *Config, ns *server.Server) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name("concord-" + cfg.Region),
		nats.MaxReconnects(-1),
		nats.ReconnectWait(peerReconnectWait),
	}
	if ns != nil {
		nc, err := nats.Connect(ns.ClientURL(), append(opts, nats.InProcessServer(ns))...)
		if err != nil {
			return nil, fmt.Errorf("region: connect embedded nats: %w", err)
		}
		return nc, nil
	}
	// An external NATS may be down at start; keep trying in the
	// background so the node still serves reads and writes.
	client, err := cfg.NATS.Client.options(cfg.NATS.URL)
	if err != nil {
		return nil, err
	}
	opts = append(opts, client...)
	nc, err := nats.Connect(cfg.NATS.URL, append(opts, nats.RetryOnFailedConnect(true))...)
	if err != nil {
		return nil, fmt.Errorf("region: connect nats url=%q: %w", cfg.NATS.URL, err)
	}
	return nc, nil
}

// connectPeer connects to a peer region's NATS. It returns at once even if
// the peer is down; the connection keeps retrying forever, so a peer that
// comes up later is picked up then.
func connectPeer(self string, p Peer, client NATSClient) (*nats.Conn, error) {
	opts := []nats.Option{
		nats.Name("concord-" + self + "-from-" + p.Region),
		nats.MaxReconnects(-1),
		nats.RetryOnFailedConnect(true),
		nats.ReconnectWait(peerReconnectWait),
		nats.Timeout(2 * time.Second),
	}
	extra, err := client.options(p.URL)
	if err != nil {
		return nil, err
	}
	nc, err := nats.Connect(p.URL, append(opts, extra...)...)
	if err != nil {
		return nil, fmt.Errorf("region: connect peer=%q url=%q: %w", p.Region, p.URL, err)
	}
	return nc, nil
}

// natsLogger sends the embedded server's logs to slog. nats-server formats
// its own messages, so the text goes in the "detail" attribute under a
// stable message. Notices (mostly the startup banner) are debug-level.
// Fatal messages are also offered, without blocking, on fatal.
type natsLogger struct {
	log   *slog.Logger
	fatal chan<- string
}

var _ server.Logger = natsLogger{}

func (l natsLogger) emit(level slog.Level, format string, v []any) {
	if !l.log.Enabled(context.Background(), level) {
		return
	}
	l.log.Log(context.Background(), level, "nats: server log", "detail", fmt.Sprintf(format, v...))
}

func (l natsLogger) Noticef(format string, v ...any) { l.emit(slog.LevelDebug, format, v) }
func (l natsLogger) Warnf(format string, v ...any)   { l.emit(slog.LevelWarn, format, v) }
func (l natsLogger) Fatalf(format string, v ...any) {
	l.emit(slog.LevelError, format, v)
	select {
	case l.fatal <- fmt.Sprintf(format, v...):
	default:
	}
}
func (l natsLogger) Errorf(format string, v ...any) { l.emit(slog.LevelError, format, v) }
func (l natsLogger) Debugf(format string, v ...any) { l.emit(slog.LevelDebug, format, v) }
func (l natsLogger) Tracef(format string, v ...any) { l.emit(slog.LevelDebug-4, format, v) }
