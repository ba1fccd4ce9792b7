package region

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/concorddb/concord/replicator"
	"github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// ErrClosed is returned by AddPeer once the node is closing.
var ErrClosed = errors.New("region: node closed")

// ErrPeerNotFound is returned by RemovePeer for a region that is not a
// peer. Test with errors.Is.
var ErrPeerNotFound = errors.New("region: peer not found")

// peerLink is one running replication link: a connection to the peer's
// NATS and the Replicator consuming its stream.
type peerLink struct {
	peer   Peer
	nc     *nats.Conn
	rep    *replicator.Replicator
	cancel context.CancelFunc
	done   chan struct{} // closed when the replicator goroutine returned
}

// stop ends the link's replicator, waits for it and closes its connection.
func (l *peerLink) stop() {
	l.cancel()
	<-l.done
	l.nc.Close()
}

// AddPeer starts replicating from p, replacing any link to the same
// region (the durable consumer on the peer keeps its position, so
// replication resumes where it stopped). It returns at once even if the
// peer is unreachable: the link keeps retrying. It returns ErrClosed once
// Close has begun.
func (n *Node) AddPeer(p Peer) error {
	p.URL = strings.TrimSpace(p.URL)
	if err := p.Validate(n.cfg.Region); err != nil {
		return err
	}
	n.peerMu.Lock()
	defer n.peerMu.Unlock()
	n.stopPeerLocked(p.Region)

	nc, err := connectPeer(n.cfg.Region, p, n.cfg.NATS.Client.forPeer(p.Client))
	if err != nil {
		return err
	}
	js, err := jetstream.New(nc)
	if err != nil {
		nc.Close()
		return fmt.Errorf("region: jetstream for peer=%q: %w", p.Region, err)
	}
	rep := replicator.New(replicator.Options{
		Store:  n.store,
		Clock:  n.clock,
		Region: n.cfg.Region,
		Source: p.Region,
		JS:     js,
		Logger: n.log,
		Now:    n.now,
		Tracer: n.tel.tracer,
	})
	n.tel.observeReplicator(rep, p.Region)
	ctx, cancel := context.WithCancel(n.ctx)
	l := &peerLink{peer: p, nc: nc, rep: rep, cancel: cancel, done: make(chan struct{})}

	n.mu.Lock()
	if n.mu.closing {
		n.mu.Unlock()
		cancel()
		nc.Close()
		return ErrClosed
	}
	n.mu.peers[p.Region] = l
	n.wg.Add(1)
	n.mu.Unlock()
	go func() { // region.Node: replicate from peer, stopped by RemovePeer or Close
		defer n.wg.Done()
		defer close(l.done)
		_ = rep.Run(ctx)
	}()
	n.log.Info("region: peer added", "origin", p.Region, "url", redactURL(p.URL))
	return nil
}

// RemovePeer stops replicating from region and waits for its link to
// end. It returns ErrPeerNotFound if region is not a peer.
func (n *Node) RemovePeer(region string) error {
	n.peerMu.Lock()
	defer n.peerMu.Unlock()
	if !n.stopPeerLocked(region) {
		return fmt.Errorf("%w: %q", ErrPeerNotFound, region)
	}
	n.log.Info("region: peer removed", "origin", region)
	return nil
}

// stopPeerLocked stops the link to region, if any, and reports whether
// there was one. The caller holds peerMu.
func (n *Node) stopPeerLocked(region string) bool {
	n.mu.Lock()
	l, ok := n.mu.peers[region]
	delete(n.mu.peers, region)
	n.mu.Unlock()
	if ok {
		l.stop()
	}
	return ok
}

// Peers returns the current peers, sorted by region.
func (n *Node) Peers() []Peer {
	n.mu.Lock()
	ps := make([]Peer, 0, len(n.mu.peers))
	for _, l := range n.mu.peers {
		ps = append(ps, l.peer)
	}
	n.mu.Unlock()
	slices.SortFunc(ps, func(a, b Peer) int { return strings.Compare(a.Region, b.Region) })
	return ps
}
