package region

import (
	"context"
	"crypto/tls"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/api"
	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
	"github.com/nats-io/nats-server/v2/server"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Node is a running region node. Open starts listening (HTTP and the
// embedded NATS); Start or Serve answers requests and starts publishing
// and replicating; Close stops everything.
type Node struct {
	cfg   Config
	log   *slog.Logger
	store *storage.Store
	clock *hlc.Clock
	now   func() time.Time // wall clock shifted by Config.ClockOffset
	api   *api.Server
	eng   *table.Engine
	ln    net.Listener
	srv   *http.Server
	https bool // srv serves TLS (Config.TLSCert)

	ns      *server.Server // embedded NATS; nil with Config.NATS.URL
	natsURL string         // this region's NATS client URL
	nc      *nats.Conn     // connection to this region's NATS
	pub     *streams.Publisher
	// backfill answers peers' backfill requests; nil until Start.
	backfill atomic.Pointer[streams.BackfillServer]

	tel *telemetry // metrics and traces (telemetry.go)

	// ctx is cancelled by Close; every background goroutine runs under it
	// and is counted in wg.
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	// peerMu serialises AddPeer and RemovePeer; it is held while a link
	// is stopped or connected. Lock order: peerMu -> mu.
	peerMu sync.Mutex
	// mu protects closing and peers. It is never held across IO.
	mu struct {
		sync.Mutex
		closing bool
		peers   map[string]*peerLink // by peer region
	}

	// served is closed when the serve goroutine has returned, after it set
	// serveErr; started reports that Start launched it.
	served    chan struct{}
	serveErr  error
	started   atomic.Bool
	startOnce sync.Once
	closeOnce sync.Once
	closeErr  error
}

// Open opens the node's store, builds its components and binds its
// listener. Requests are answered once Serve (or Start) runs. Options are
// for tests and embedders (telemetry.go); a node needs none.
func Open(cfg Config, opts ...Option) (*Node, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
	}
	var oo openOptions
	for _, o := range opts {
		o(&oo)
	}
	log := cfg.Logger.With("region", cfg.Region)
	dir := filepath.Join(cfg.DataDir, "pebble")
	if cfg.FS == nil {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("region: create data dir: %w", err)
		}
	}
	store, err := storage.Open(dir, storage.Options{FS: cfg.FS, Logger: log})
	if err != nil {
		return nil, fmt.Errorf("region: open store dir=%q: %w", dir, err)
	}
	now := time.Now
	if off := cfg.ClockOffset; off != 0 {
		now = func() time.Time { return time.Now().Add(off) }
	}
	clock := hlc.NewClock(func() int64 { return now().UnixNano() }, cfg.MaxClockOffset)
	tel, err := newTelemetry(cfg.Region, oo)
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	eng := table.New(table.Options{Store: store, Clock: clock, Region: cfg.Region, Logger: log, Wall: now})
	srv := api.New(api.Options{
		Engine:       eng,
		Endpoint:     cfg.Endpoint,
		Logger:       log,
		MaxBodyBytes: cfg.MaxBodyBytes,
		Credentials:  cfg.Credentials,
	})
	var certs *certReloader
	if cfg.TLSCert != "" {
		if certs, err = newCertReloader(cfg.TLSCert, cfg.TLSKey, log); err != nil {
			_ = tel.shutdown(context.Background())
			_ = store.Close()
			return nil, err
		}
	}
	ln, err := net.Listen("tcp", listenAddr(cfg.Listen))
	if err != nil {
		_ = tel.shutdown(context.Background())
		_ = store.Close()
		return nil, fmt.Errorf("region: listen addr=%q: %w", cfg.Listen, err)
	}
	n := &Node{
		cfg:   cfg,
		log:   log,
		store: store,
		clock: clock,
		now:   now,
		api:   srv,
		eng:   eng,
		tel:   tel,
		ln:    ln,
		srv: &http.Server{
			ReadHeaderTimeout: 30 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		served: make(chan struct{}),
	}
	if certs != nil {
		n.https = true
		n.srv.TLSConfig = &tls.Config{MinVersion: tls.VersionTLS12, GetCertificate: certs.getCertificate}
	}
	n.mu.peers = make(map[string]*peerLink)
	eng.SetRegions(n.deploymentRegions)
	n.ctx, n.cancel = context.WithCancel(context.Background())
	n.srv.Handler = n.handler()
	if err := n.openNATS(); err != nil {
		n.cancel()
		_ = ln.Close()
		_ = tel.shutdown(context.Background())
		_ = store.Close()
		return nil, err
	}
	if err := tel.observeNode(n); err != nil {
		n.cancel()
		_ = ln.Close()
		n.shutdownNATS()
		_ = tel.shutdown(context.Background())
		_ = store.Close()
		return nil, err
	}
	return n, nil
}

// openNATS starts the embedded server (unless an external URL is
// configured), connects to it and builds the publisher; Start runs it.
func (n *Node) openNATS() error {
	cfg := &n.cfg
	if cfg.NATS.URL == "" {
		if err := os.MkdirAll(cfg.NATS.StoreDir, 0o755); err != nil {
			return fmt.Errorf("region: create nats dir: %w", err)
		}
		ns, err := startNATS(cfg, n.log)
		if err != nil {
			return err
		}
		n.ns, n.natsURL = ns, ns.ClientURL()
	} else {
		n.natsURL = cfg.NATS.URL
	}
	nc, err := connectLocal(cfg, n.ns)
	if err != nil {
		n.shutdownNATS()
		return err
	}
	n.nc = nc
	// The async timeout drops the futures of acknowledgements that never
	// come, which would otherwise hold slots of the pending window for
	// good; the publisher gives up on them after the same time.
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(streams.DefaultWindow),
		jetstream.WithPublishAsyncTimeout(streams.DefaultAckTimeout))
	if err != nil {
		n.shutdownNATS()
		return fmt.Errorf("region: jetstream: %w", err)
	}
	n.pub = streams.NewPublisher(streams.PublisherOptions{
		Log:      streams.StoreLog(n.store),
		JS:       js,
		Region:   cfg.Region,
		Logger:   cfg.Logger, // Publisher.Run adds the region key itself
		Window:   streams.DefaultWindow,
		MaxAge:   cfg.TombstoneRetention,
		Replicas: cfg.NATS.StreamReplicas,
	})
	return nil
}

// shutdownNATS closes the local connection and stops the embedded server.
func (n *Node) shutdownNATS() {
	if n.nc != nil {
		n.nc.Close()
	}
	if n.ns != nil {
		n.ns.Shutdown()
		n.ns.WaitForShutdown()
	}
}

// handler routes /admin/ to the node's admin endpoints, /debug/pprof/ to
// pprof when enabled, GET /dashboard to the dashboard, GET /metrics to
// Prometheus, and everything else to the DynamoDB API. With
// Config.Credentials all but the API need an access key (requireKey); the
// API checks its own signatures. It avoids
// http.ServeMux for the API so DynamoDB requests are never redirected by
// path cleaning.
func (n *Node) handler() http.Handler {
	admin := n.adminHandler()
	apiHandler := n.tel.middleware(n.api, n.tableKnown)
	dash := DashboardHandler()
	var prof http.Handler
	if n.cfg.Pprof {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		prof = mux
	}
	metrics := http.Handler(n.tel.metrics)
	if creds := n.cfg.Credentials; creds != nil {
		realm := "concord " + n.cfg.Region
		admin, dash, metrics = requireKey(creds, realm, admin), requireKey(creds, realm, dash), requireKey(creds, realm, metrics)
		if prof != nil {
			prof = requireKey(creds, realm, prof)
		}
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch p := r.URL.Path; {
		case strings.HasPrefix(p, "/admin/"):
			admin.ServeHTTP(w, r)
		case prof != nil && strings.HasPrefix(p, "/debug/pprof/"):
			prof.ServeHTTP(w, r)
		case isDashboardPath(p) && r.Method != http.MethodPost:
			dash.ServeHTTP(w, r)
		case p == "/metrics" && (r.Method == http.MethodGet || r.Method == http.MethodHead):
			metrics.ServeHTTP(w, r)
		default:
			apiHandler.ServeHTTP(w, r)
		}
	})
}

// NATSURL returns this region's NATS client URL: the embedded server's
// bound address (nats://host:port), or Config.NATS.URL.
func (n *Node) NATSURL() string { return n.natsURL }

// Addr returns the address the node listens on, with the port chosen
// when Config.Listen asked for a free one.
func (n *Node) Addr() net.Addr { return n.ln.Addr() }

// URL returns the node's endpoint URL: http://host:port, or https:// when
// Config.TLSCert is set.
func (n *Node) URL() string {
	if n.https {
		return "https://" + n.ln.Addr().String()
	}
	return "http://" + n.ln.Addr().String()
}

// Region returns the region the node serves.
func (n *Node) Region() string { return n.cfg.Region }

// Start begins answering requests, publishing this region's changes and
// replicating from Config.Peers, in the background, and returns at once.
// The goroutines it starts end when Close runs. A second call does nothing.
func (n *Node) Start() {
	n.startOnce.Do(func() {
		n.mu.Lock()
		closing := n.mu.closing
		if !closing {
			n.wg.Add(1)
		}
		n.mu.Unlock()
		if !closing {
			go func() { // region.Node: publish change log, stopped by Close
				defer n.wg.Done()
				_ = n.pub.Run(n.ctx)
			}()
			n.wg.Add(1)
			go func() { // region.Node: maintenance, stopped by Close
				defer n.wg.Done()
				n.runMaintenance(n.ctx)
			}()
			n.wg.Add(1)
			go func() { // region.Node: ttl sweeper, stopped by Close
				defer n.wg.Done()
				n.runTTLSweeper(n.ctx)
			}()
			if err := n.recordStreamBoundary(); err != nil {
				n.log.Error("region: cannot record the streams shard boundary", "err", err)
			}
			if err := n.serveBackfill(); err != nil {
				n.log.Error("region: cannot serve backfill requests", "err", err)
			}
			for _, p := range n.cfg.Peers {
				if err := n.AddPeer(p); err != nil {
					n.log.Error("region: cannot add peer", "origin", p.Region, "err", err)
				}
			}
		}
		n.started.Store(true)
		go func() { // region.Node: http serve loop, stopped and awaited by Close
			defer close(n.served)
			var err error
			if n.https {
				err = n.srv.ServeTLS(n.ln, "", "") // certificates from TLSConfig.GetCertificate
			} else {
				err = n.srv.Serve(n.ln)
			}
			if errors.Is(err, http.ErrServerClosed) {
				err = nil
			}
			n.serveErr = err
		}()
		n.log.Info("region: serving", "addr", n.ln.Addr().String())
	})
}

// Serve answers requests until ctx is done, then closes the node and
// returns Close's error. If the listener fails first, Serve closes the node
// and returns that failure.
func (n *Node) Serve(ctx context.Context) error {
	n.Start()
	select {
	case <-ctx.Done():
		return n.Close()
	case <-n.served:
		cerr := n.Close()
		if n.serveErr != nil {
			return fmt.Errorf("region: serve: %w", n.serveErr)
		}
		return cerr
	}
}

// Close stops accepting requests, waits up to Config.ShutdownTimeout for
// those in flight, stops the publisher and every replicator and waits for
// them, closes the NATS connections, shuts the embedded NATS server down,
// and closes the store. It is safe to call more than
// once and from several goroutines; later calls return the first call's
// result.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), n.cfg.ShutdownTimeout)
		defer cancel()
		var errs []error
		if err := n.srv.Shutdown(ctx); err != nil {
			errs = append(errs, fmt.Errorf("region: shutdown http: %w", err))
			_ = n.srv.Close()
		}
		// Shutdown closes the listener; if Serve never ran, close it here.
		if err := n.ln.Close(); err != nil && !errors.Is(err, net.ErrClosed) {
			errs = append(errs, fmt.Errorf("region: close listener: %w", err))
		}
		if n.started.Load() {
			<-n.served
		}
		n.mu.Lock()
		n.mu.closing = true
		links := make([]*peerLink, 0, len(n.mu.peers))
		for _, l := range n.mu.peers {
			links = append(links, l)
		}
		clear(n.mu.peers)
		n.mu.Unlock()
		n.cancel()
		n.wg.Wait()
		for _, l := range links {
			l.nc.Close()
		}
		n.shutdownNATS()
		if err := n.tel.shutdown(ctx); err != nil {
			n.log.Warn("region: telemetry shutdown", "err", err)
		}
		if err := n.store.Close(); err != nil {
			errs = append(errs, fmt.Errorf("region: close store: %w", err))
		}
		n.closeErr = errors.Join(errs...)
		n.log.Info("region: closed")
	})
	return n.closeErr
}

// Run opens a node from cfg and serves until ctx is done.
func Run(ctx context.Context, cfg Config) error {
	n, err := Open(cfg)
	if err != nil {
		return err
	}
	return n.Serve(ctx)
}
