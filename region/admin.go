package region

import (
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strings"

	"github.com/concorddb/concord/replicator"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
)

// Status is a node's GET /admin/status reply. Tools parse it: keep the
// JSON shape stable.
type Status struct {
	Region      string              `json:"region"`
	NATS        string              `json:"nats"`
	Tables      []TableStatus       `json:"tables"`
	Replication []ReplicationStatus `json:"replication"`
	Publisher   PublisherStatus     `json:"publisher"`
	// Conflicts are the most recent incoming versions discarded by
	// last-writer-wins (newest first, at most replicator.MaxConflicts),
	// across every replication link.
	Conflicts []replicator.Conflict `json:"conflicts"`
	// Parked counts, per table, the replicated changes waiting for a table
	// this region does not hold yet (replicator park.go); absent when none.
	Parked map[string]int `json:"parked,omitempty"`
	// Quarantined counts, per table, the replicated changes that can never
	// apply here as they are, kept aside (replicator quarantine.go; POST
	// /admin/quarantine/retry applies them again); absent when none.
	Quarantined map[string]int `json:"quarantined,omitempty"`
	// BackfillServed counts the backfill pages this region sent its
	// peers, the requests it answered with an error and the replies NATS
	// refused to send; absent before the node starts.
	BackfillServed *streams.BackfillStats `json:"backfillServed,omitempty"`
}

// TableStatus is one table's figures; Digest is 32 hex characters, equal
// in two regions exactly when they hold the same items.
type TableStatus struct {
	Name      string `json:"name"`
	ItemCount int64  `json:"itemCount"`
	SizeBytes int64  `json:"sizeBytes"`
	Digest    string `json:"digest"`
}

// ReplicationStatus is one peer link's figures (replicator.Status plus the
// peer's URL).
type ReplicationStatus struct {
	Source    string  `json:"source"`
	URL       string  `json:"url"`
	Connected bool    `json:"connected"`
	LagMillis float64 `json:"lagMillis"`
	Pending   uint64  `json:"pending"`
	Applied   uint64  `json:"applied"`
	Discarded uint64  `json:"discarded"`
	Skipped   uint64  `json:"skipped"`
	Skewed    uint64  `json:"skewed"`
	Errors    uint64  `json:"errors"`
	// State is "connected", "disconnected" or "stuck": the link cannot go
	// past the message StuckSeq of the peer's stream (an undecodable one,
	// say), Reason says why, and it retries every 30 s.
	State    string `json:"state"`
	Reason   string `json:"reason,omitempty"`
	StuckSeq uint64 `json:"stuckSeq,omitempty"`
	// Backfill counts the copies of tables from this peer.
	Backfill replicator.BackfillStatus `json:"backfill"`
	// Gaps counts the times changes expired from the peer's stream before
	// this region applied them; each resyncs the shared tables (Backfill).
	Gaps uint64 `json:"gaps"`
}

// PublisherStatus is the streams publisher's figures.
type PublisherStatus struct {
	Published uint64 `json:"published"`
	Backlog   uint64 `json:"backlog"`
	Connected bool   `json:"connected"`
	// Errors counts the publisher's failed rounds since the node started.
	Errors uint64 `json:"errors"`
	// Failure is set while the publisher fails: it retries, but no
	// change from Failure.Seq on reaches any peer meanwhile.
	Failure *streams.Failure `json:"failure,omitempty"`
}

// Status returns the node's live figures: tables sorted by name,
// replication links sorted by source region.
func (n *Node) Status() (Status, error) {
	st := Status{
		Region:      n.cfg.Region,
		NATS:        redactURL(n.natsURL),
		Tables:      []TableStatus{},
		Replication: []ReplicationStatus{},
		Conflicts:   []replicator.Conflict{},
		Publisher: PublisherStatus{
			Published: n.pub.Published(),
			Backlog:   n.pub.Backlog(),
			Connected: n.pub.Connected(),
			Errors:    n.pub.Errors(),
		},
	}
	if f, failing := n.pub.Failing(); failing {
		st.Publisher.Failure = &f
	}
	if srv := n.backfill.Load(); srv != nil {
		bs := srv.Stats()
		st.BackfillServed = &bs
	}
	parked, err := replicator.Parked(n.store)
	if err != nil {
		return Status{}, fmt.Errorf("region: parked changes: %w", err)
	}
	if len(parked) > 0 {
		st.Parked = parked
	}
	quarantined, err := replicator.Quarantined(n.store)
	if err != nil {
		return Status{}, fmt.Errorf("region: quarantined changes: %w", err)
	}
	if len(quarantined) > 0 {
		st.Quarantined = quarantined
	}
	names, _, err := n.store.ListTables("", 0)
	if err != nil {
		return Status{}, fmt.Errorf("region: list tables: %w", err)
	}
	for _, name := range names {
		ts, err := n.store.Stats(name)
		if errors.Is(err, storage.ErrTableNotFound) {
			continue // deleted since ListTables
		}
		if err != nil {
			return Status{}, fmt.Errorf("region: stats table=%q: %w", name, err)
		}
		st.Tables = append(st.Tables, TableStatus{
			Name:      name,
			ItemCount: ts.ItemCount,
			SizeBytes: ts.SizeBytes,
			Digest:    hex.EncodeToString(ts.Digest[:]),
		})
	}
	n.mu.Lock()
	links := make([]*peerLink, 0, len(n.mu.peers))
	for _, l := range n.mu.peers {
		links = append(links, l)
	}
	n.mu.Unlock()
	for _, l := range links {
		rs := l.rep.Status()
		st.Replication = append(st.Replication, ReplicationStatus{
			Source:    l.peer.Region,
			URL:       redactURL(l.peer.URL),
			Connected: rs.Connected,
			LagMillis: rs.LagMillis,
			Pending:   rs.Pending,
			Applied:   rs.Applied,
			Discarded: rs.Discarded,
			Skipped:   rs.Skipped,
			Skewed:    rs.Skewed,
			Errors:    rs.Errors,
			State:     rs.State,
			Reason:    rs.Reason,
			StuckSeq:  rs.StuckSeq,
			Backfill:  rs.Backfill,
			Gaps:      rs.Gaps,
		})
		st.Conflicts = append(st.Conflicts, l.rep.Conflicts()...)
	}
	slices.SortStableFunc(st.Conflicts, func(a, b replicator.Conflict) int { return b.At.Compare(a.At) })
	st.Conflicts = st.Conflicts[:min(len(st.Conflicts), replicator.MaxConflicts)]
	slices.SortFunc(st.Tables, func(a, b TableStatus) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(st.Replication, func(a, b ReplicationStatus) int { return strings.Compare(a.Source, b.Source) })
	return st, nil
}

// maxAdminBody bounds admin request bodies.
const maxAdminBody = 64 << 10

// adminHandler serves the node's admin endpoints:
//
//	GET    /admin/status          Status as JSON
//	GET    /admin/peers           the peers as a JSON array
//	POST   /admin/peers           {"region":"eu-west-1","url":"nats://..."}: add or replace a peer;
//	                              optional "client": {"creds"|"nkey"|"tlsCA"|"tlsCert"|"tlsKey": FILE}
//	                              for that peer's NATS (Peer.Client)
//	DELETE /admin/peers/{region}  stop replicating from region
//	POST   /admin/quarantine/retry apply the quarantined changes again; answers
//	                              {"applied":N,"discarded":N,"quarantined":N}
func (n *Node) adminHandler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("POST /admin/quarantine/retry", func(w http.ResponseWriter, r *http.Request) {
		res, err := replicator.RetryQuarantined(r.Context(), n.store, n.clock, n.cfg.Region)
		if err != nil {
			writeAdminError(w, http.StatusInternalServerError, err)
			return
		}
		writeAdminJSON(w, http.StatusOK, map[string]int{"applied": res.Applied, "discarded": res.Discarded, "quarantined": res.Quarantined})
	})
	mux.HandleFunc("GET /admin/status", func(w http.ResponseWriter, r *http.Request) {
		st, err := n.Status()
		if err != nil {
			writeAdminError(w, http.StatusInternalServerError, err)
			return
		}
		writeAdminJSON(w, http.StatusOK, st)
	})
	mux.HandleFunc("GET /admin/peers", func(w http.ResponseWriter, r *http.Request) {
		peers := n.Peers()
		for i := range peers {
			peers[i].URL = redactURL(peers[i].URL)
		}
		writeAdminJSON(w, http.StatusOK, peers)
	})
	mux.HandleFunc("POST /admin/peers", func(w http.ResponseWriter, r *http.Request) {
		var p Peer
		dec := json.NewDecoder(io.LimitReader(r.Body, maxAdminBody))
		dec.DisallowUnknownFields()
		if err := dec.Decode(&p); err != nil {
			writeAdminError(w, http.StatusBadRequest, fmt.Errorf("region: peer body: %w", err))
			return
		}
		if err := n.AddPeer(p); err != nil {
			code := http.StatusBadRequest
			if errors.Is(err, ErrClosed) {
				code = http.StatusServiceUnavailable
			}
			writeAdminError(w, code, err)
			return
		}
		writeAdminJSON(w, http.StatusOK, p)
	})
	mux.HandleFunc("DELETE /admin/peers/{region}", func(w http.ResponseWriter, r *http.Request) {
		if err := n.RemovePeer(r.PathValue("region")); err != nil {
			writeAdminError(w, http.StatusNotFound, err)
			return
		}
		w.WriteHeader(http.StatusNoContent)
	})
	return mux
}

func writeAdminJSON(w http.ResponseWriter, code int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		writeAdminError(w, http.StatusInternalServerError, err)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}

func writeAdminError(w http.ResponseWriter, code int, err error) {
	b, _ := json.Marshal(map[string]string{"error": err.Error()})
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(code)
	_, _ = w.Write(append(b, '\n'))
}

// redactURL hides the password of a URL's user info ("nats://u:p@h" ->
// "nats://u:xxxxx@h"), so status and peer listings never show credentials.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || u.User == nil {
		return raw
	}
	return u.Redacted()
}
