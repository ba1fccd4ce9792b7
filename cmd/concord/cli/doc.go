// Package cli implements the concord command's subcommands (serve,
// version, help, and later dev). Run is the whole command line: main
// passes it the arguments, the process's output streams and a context
// cancelled on SIGINT or SIGTERM.
//
// Only cmd/concord imports it. Tests call Run directly.
package cli
