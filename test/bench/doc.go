// Command bench measures PutItem, GetItem, Query and UpdateItem latency and
// throughput through aws-sdk-go-v2 against Concord and, side by side in the
// same run, against dynalite (a Node.js DynamoDB emulator) and "bare" — an
// in-process net/http server that only decodes the JSON body and answers a
// fixed reply, the ceiling of any HTTP API on this machine. It prints
// markdown tables suitable for the README.
//
// Usage:
//
//	go run ./test/bench [-duration 5s] [-concurrency 1,32] [-targets concord,dynalite,bare] [-ops PutItem,GetItem]
//	                    [-concord-endpoint http://127.0.0.1:8000] [-concord-args "--pprof"]
//
// Without -concord-endpoint it builds ./cmd/concord and starts
// `concord serve` on a temporary data directory. dynalite is started with
// `npx --yes dynalite`, which downloads it on first use.
package main
