// Package region runs one Concord region node: it builds, owns and stops
// every component of the node (the Pebble store, the hybrid logical clock,
// the DynamoDB protocol server of region/api and its HTTP listener) and,
// in later issues, the embedded NATS server, the streams publisher, the
// replicator and telemetry.
//
// It does not implement any of those components; it wires them together
// from a Config and shuts them down in order. Only cmd/ and test/ (and the
// region/regiontest harness) import it.
//
// # Usage
//
//	cfg := region.Config{Region: "us-east-1", DataDir: dir, Listen: "127.0.0.1:0"}
//	n, err := region.Open(cfg)
//	if err != nil { ... }
//	fmt.Println("listening on", n.URL())
//	err = n.Serve(ctx) // returns after ctx is done and the node has closed
//
// # Shutdown
//
// Serve stops accepting requests when ctx is done, lets requests in flight
// finish (http.Server.Shutdown, bounded by Config.ShutdownTimeout), then
// closes the store. Close does the same without Serve.
package region
