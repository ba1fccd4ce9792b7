package region

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"os"
	"path/filepath"
	"sync"
	"sync/atomic"
	"time"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/region/api"
	"github.com/concorddb/concord/storage"
)

// Node is a running region node. Open starts listening; Serve answers
// requests until its context is done; Close stops everything.
type Node struct {
	cfg   Config
	log   *slog.Logger
	store *storage.Store
	clock *hlc.Clock
	api   *api.Server
	ln    net.Listener
	srv   *http.Server

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
// listener. Requests are answered once Serve (or Start) runs.
func Open(cfg Config) (*Node, error) {
	cfg.EnsureDefaults()
	if err := cfg.Validate(); err != nil {
		return nil, err
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
	clock := hlc.NewClock(nil, cfg.MaxClockOffset)
	srv := api.New(api.Options{
		Store:        store,
		Clock:        clock,
		Region:       cfg.Region,
		Endpoint:     cfg.Endpoint,
		Logger:       log,
		MaxBodyBytes: cfg.MaxBodyBytes,
	})
	ln, err := net.Listen("tcp", listenAddr(cfg.Listen))
	if err != nil {
		_ = store.Close()
		return nil, fmt.Errorf("region: listen addr=%q: %w", cfg.Listen, err)
	}
	var h http.Handler = srv
	if cfg.Pprof {
		mux := http.NewServeMux()
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
		mux.Handle("/", srv)
		h = mux
	}
	n := &Node{
		cfg:   cfg,
		log:   log,
		store: store,
		clock: clock,
		api:   srv,
		ln:    ln,
		srv: &http.Server{
			Handler:           h,
			ReadHeaderTimeout: 30 * time.Second,
			IdleTimeout:       120 * time.Second,
			ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
		},
		served: make(chan struct{}),
	}
	return n, nil
}

// Addr returns the address the node listens on, with the port chosen
// when Config.Listen asked for a free one.
func (n *Node) Addr() net.Addr { return n.ln.Addr() }

// URL returns the node's endpoint URL, http://host:port.
func (n *Node) URL() string { return "http://" + n.ln.Addr().String() }

// Region returns the region the node serves.
func (n *Node) Region() string { return n.cfg.Region }

// Start begins answering requests in the background and returns at once.
// The goroutine it starts ends when Close runs. A second call does nothing.
func (n *Node) Start() {
	n.startOnce.Do(func() {
		n.started.Store(true)
		go func() { // region.Node: http serve loop, stopped and awaited by Close
			defer close(n.served)
			err := n.srv.Serve(n.ln)
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
// those in flight, then closes the store. It is safe to call more than
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
