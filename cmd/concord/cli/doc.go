// Package cli implements the concord command's subcommands: serve (one
// region node), dev (several regions locally, each its own process, with a
// status endpoint and the live dashboard), load (a steady write load into
// regions, also started by dev --load), version and help. Run is the
// whole command line: main passes it the arguments, the process's output
// streams and a context cancelled on SIGINT or SIGTERM.
//
// # concord dev ports
//
// With --base-port N and R regions, region i (in --regions order) serves
// DynamoDB on 127.0.0.1:N+i and its embedded NATS on
// 127.0.0.1:N+100+i; the launcher serves GET /admin/status and the
// dashboard on 127.0.0.1:N+R. Its stdout is one line per region,
// "region NAME endpoint URL nats URL", then "dashboard URL" (the
// launcher's /dashboard page).
//
// Only cmd/concord imports it. Tests call Run directly.
package cli
