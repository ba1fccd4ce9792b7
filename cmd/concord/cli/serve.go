package cli

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"path/filepath"

	"github.com/concorddb/concord/region"
)

// runServe runs one region node until ctx is done. On startup it prints
// exactly one line to stdout, "listening on http://HOST:PORT"; logs go to
// stderr.
func runServe(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("concord serve", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var cfg region.Config
	var logLevel string
	fs.StringVar(&cfg.Region, "region", region.DefaultRegion, "region this node serves")
	fs.StringVar(&cfg.DataDir, "data", "", "data directory (default ./"+region.DefaultDataRoot+"/<region>)")
	fs.StringVar(&cfg.Listen, "listen", region.DefaultListen, "HTTP listen address host:port (port 0 picks a free one)")
	fs.StringVar(&cfg.Endpoint, "endpoint", "", "address DescribeEndpoints reports (default: the request's Host)")
	fs.BoolVar(&cfg.Pprof, "pprof", false, "serve net/http/pprof under /debug/pprof/")
	fs.StringVar(&logLevel, "log-level", "info", "log level: debug, info, warn or error")
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
	var level slog.Level
	if err := level.UnmarshalText([]byte(logLevel)); err != nil {
		fmt.Fprintf(stderr, "concord serve: invalid --log-level %q: use debug, info, warn or error\n", logLevel)
		return ExitUsage
	}
	if cfg.DataDir == "" {
		cfg.DataDir = filepath.Join(region.DefaultDataRoot, cfg.Region)
	}
	cfg.Logger = slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: level}))

	n, err := region.Open(cfg)
	if err != nil {
		cfg.Logger.Error("concord: cannot start", "err", err)
		return ExitError
	}
	fmt.Fprintf(stdout, "listening on %s\n", n.URL())
	if err := n.Serve(ctx); err != nil {
		cfg.Logger.Error("concord: stopped with an error", "err", err)
		return ExitError
	}
	return ExitOK
}
