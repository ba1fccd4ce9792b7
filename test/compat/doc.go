// Command compat is a differential compatibility check of Concord's
// DynamoDB API against dynalite, a Node.js DynamoDB emulator that mimics
// DynamoDB's validation and error messages closely. It builds
// ./cmd/concord, starts `concord serve` on a temporary data directory and
// `npx --yes dynalite` (downloaded on first use) on a free port, sends the
// same sequence of raw HTTP requests (cases.go) to both, and compares the
// HTTP status, the error type (the part of __type after '#'), the error
// message and, for 200 responses, the JSON body with request-specific
// fields (ARNs, ids, timestamps, sizes, consumed capacity) removed.
//
// It prints a one-line verdict per case, then a markdown list of the
// cases that differ, grouped by operation:
//
//	go run ./test/compat [-v] [-run SUBSTRING]
//
// Message differences judged to be wording only (wording.go) are listed
// too, marked "wording". The exit status is 0 when every case matches, 1
// when some differ, 2 when the servers could not be run.
//
// dynalite does not implement TransactWriteItems, TransactGetItems or
// UpdateTimeToLive; those cases are checked against the status and error
// type the DynamoDB API reference documents instead ("vs docs").
//
// cases.go is mostly about malformed input; cases_semantics.go (case names
// starting "data: ") is about what valid requests return: update
// expressions with every ReturnValues, legacy AttributeUpdates and
// Expected, number normalisation, sort key order, key conditions, filters,
// projections, pagination, parallel scans and GSIs, on tables of its own.
// Some of those cases are compared in a mode of their own (testCase in
// main.go): a paginated Query or Scan is followed to its last page and
// compared as a summary of all pages, a parallel Scan as the union of its
// segments, and a Query on a hash-only GSI with its Items sorted, since
// those orders are the server's business.
package main
