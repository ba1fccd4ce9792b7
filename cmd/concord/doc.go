// Command concord runs Concord, a DynamoDB-compatible database whose
// tables are replicated across regions.
//
//	concord serve --region us-east-1 --data DIR --listen 127.0.0.1:8000
//	concord version
//	concord help
//
// The commands live in package cli; this main only wires signals and the
// process's streams to cli.Run.
package main
