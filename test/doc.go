// Package test holds Concord's end-to-end suite: it builds the concord
// binary once, starts real region nodes as separate processes on ephemeral
// ports and drives them with real clients — aws-sdk-go-v2, raw net/http,
// the AWS CLI and boto3 — asserting DynamoDB's documented behaviour.
//
// The suite owns no product code and nothing imports it. Run it with
//
//	go test ./test/
//
// Set CONCORD_BIN to use a prebuilt binary instead of building
// ./cmd/concord. The AWS CLI smoke test needs `aws` on PATH; the boto3
// smoke test is skipped when python3 or boto3 is missing.
//
// Nodes are started and stopped by test/internal/launch, which test/bench
// and test/compat use too. The benchmark program lives in test/bench.
package test
