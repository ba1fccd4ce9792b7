package cli

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// Exit codes of Run.
const (
	// ExitOK means the command succeeded (serve: it stopped cleanly).
	ExitOK = 0
	// ExitError means the command failed while running.
	ExitError = 1
	// ExitUsage means the command line was wrong, or the command is not
	// implemented yet.
	ExitUsage = 2
)

// Version is the release version, set at build time with
// -ldflags "-X github.com/concorddb/concord/cmd/concord/cli.Version=v1.2.3".
var Version = "dev"

const usage = `concord: a DynamoDB-compatible database with multi-region replication.

Usage:
  concord serve [flags]   run one region node (concord serve --help for flags)
  concord dev [flags]     run several regions locally, one process each (concord dev --help)
  concord load [flags]    drive a steady write load into regions (concord load --help)
  concord version         print the version
  concord help            print this help
`

// Run runs the command line args (without the program name), writing
// normal output to stdout and diagnostics and logs to stderr, and returns
// the process exit code. ctx cancellation stops long-running commands
// cleanly.
func Run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return ExitUsage
	}
	switch args[0] {
	case "serve":
		return runServe(ctx, args[1:], stdout, stderr)
	case "dev":
		return runDev(ctx, args[1:], stdout, stderr)
	case "load":
		return runLoad(ctx, args[1:], stdout, stderr)
	case "version", "--version", "-version":
		fmt.Fprintln(stdout, versionString())
		return ExitOK
	case "help", "--help", "-help", "-h":
		fmt.Fprint(stdout, usage)
		return ExitOK
	}
	fmt.Fprintf(stderr, "concord: unknown command %q\n\n%s", args[0], usage)
	return ExitUsage
}

// versionString returns "concord <version> (<go version>)".
func versionString() string {
	goVersion := "unknown"
	if bi, ok := debug.ReadBuildInfo(); ok {
		goVersion = bi.GoVersion
	}
	return "concord " + Version + " (" + goVersion + ")"
}
