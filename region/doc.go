// Package region runs one Concord region node: it builds, owns and stops
// every component of the node — the Pebble store, the hybrid logical
// clock, the table engine (region/table), the DynamoDB protocol server of
// region/api (built and mounted in node.go only) and its HTTP listener,
// the embedded NATS server with JetStream, the streams publisher that
// tails the change log into this region's stream, one replicator per peer
// region that consumes the peer's stream, the backfill service, the
// maintenance, TTL and telemetry (OpenTelemetry metrics and traces) tasks,
// and the admin and dashboard endpoints.
//
// It does not implement any of those components; it wires them together
// from a Config and shuts them down in order. Only cmd/ and test/ (and the
// region/regiontest harness) import it.
//
// # Usage
//
//	cfg := region.Config{Region: "us-east-1", DataDir: dir, Listen: "127.0.0.1:0",
//		NATS:  region.NATSConfig{Listen: "127.0.0.1:0"},
//		Peers: []region.Peer{{Region: "eu-west-1", URL: "nats://10.0.0.2:4222"}}}
//	n, err := region.Open(cfg)
//	if err != nil { ... }
//	fmt.Println("listening on", n.URL(), "nats on", n.NATSURL())
//	err = n.Serve(ctx) // returns after ctx is done and the node has closed
//
// # Replication
//
// Each region publishes its own changes to its own NATS (embedded, or
// Config.NATS.URL). For each peer the node connects as a client to the
// peer's NATS and holds a durable consumer on the peer's stream, so any
// number of regions form a mesh. Peer connections retry forever: a peer
// that is down is picked up when it comes back, and the node serves reads
// and writes meanwhile. Peers can change at run time (AddPeer, RemovePeer).
//
// # Admin endpoints
//
// Beside the DynamoDB API, on the same listener:
//
//	GET    /admin/status          Status: tables (name, itemCount, sizeBytes,
//	                              digest), replication per source, publisher
//	GET    /admin/peers           the current peers
//	POST   /admin/peers           {"region":"eu-west-1","url":"nats://..."}: add or replace
//	DELETE /admin/peers/{region}  stop replicating from region; the durable
//	                              consumer keeps its position, so re-adding resumes
//
// # Shutdown
//
// Close (or Serve when ctx is done) stops accepting requests, lets those
// in flight finish (bounded by Config.ShutdownTimeout), cancels the
// publisher and the replicators and waits for them, closes the NATS
// connections, shuts the embedded NATS server down and closes the store.
//
// # Locks
//
//	Node.peerMu -> Node.mu
//
// peerMu serialises peer changes and is held while a link stops or
// connects; mu guards the peer map and is never held across IO.
package region
