// Command chaos runs Concord's real-process chaos run (package
// test/internal/chaos): three (or -regions) `concord serve` processes
// linked through proxies it controls, clients writing to every region,
// DDL during the traffic, SIGKILL and restart, link cuts and heals,
// restarts with a skewed clock; then it heals everything, waits for
// convergence and checks every region against what the clients were
// told. It prints a report (operations, faults, convergence time after
// the last heal, anomalies) and exits 1 on any anomaly.
//
// Usage:
//
//	go run ./test/chaos [-seed N] [-duration 60s] [-regions 3] [-clients 2] [-rate 150]
//	                    [-faults kill,cut,isolate,skew] [-max-faults 2] [-one-creator]
//	                    [-converge-timeout 2m] [-dir DIR] [-bin CONCORD] [-v]
//
// Without -seed it draws one and prints it; -seed replays a run's
// schedule of faults and operations (not their timing). It builds
// ./cmd/concord unless -bin names a binary. The regions' data and logs
// go to a temporary directory, removed after a good run and kept after
// a bad one, or to -dir, always kept. The end-to-end suite runs the same
// for 60 seconds (TestChaos in package test).
package main
