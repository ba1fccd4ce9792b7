package region

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/concorddb/concord/storage"
)

// TestRegionReplicaReAddRepublishesWholeGroups is issue 13, case 7: a
// region taken out of a table and added back copies the table from a
// replica (backfill). The copy lands in one commit, so in the re-added
// region's change log it is one group, mixing the records that region
// originated before it left with those of the other regions. Its
// publisher sends only its own records, which used to travel with the
// group's full size: the peers waited for the rest of the group, which
// never comes, acknowledged nothing more and applied nothing more from
// that region while it stayed quiet, and the link still looked healthy.
func TestRegionReplicaReAddRepublishesWholeGroups(t *testing.T) {
	t.Parallel()
	a, b := linkedPair(t)
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, a, b))
	// Keys whose order in the table (by hash) puts one of us-east-1's
	// last; the test checks that below.
	for i := range 10 {
		put(t, a, fmt.Sprint("c", i), "from-a")
	}
	for _, i := range []int{1, 2, 3, 4, 7, 9} {
		put(t, b, fmt.Sprint("b", i), "from-b")
	}
	eventually(t, 15*time.Second, converged(t, 16, a, b))

	ddb(t, a, "UpdateTable", `{"TableName":"tbl","ReplicaUpdates":[{"Delete":{"RegionName":"eu-west-1"}}]}`)
	eventually(t, 15*time.Second, func() error {
		if _, err := b.store.Table("tbl"); err == nil {
			return fmt.Errorf("eu-west-1 still holds the table")
		}
		return nil
	})
	from := linkStatus(t, a, "eu-west-1")
	ddb(t, a, "UpdateTable", `{"TableName":"tbl","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}`)
	eventually(t, 15*time.Second, converged(t, 16, a, b))

	// The schedule this test is about: the copy's commit in eu-west-1
	// holds records of both origins, and the last one is us-east-1's,
	// so eu-west-1's own records of the group end before the group does.
	// (A re-added region now also re-applies its own earlier writes from
	// its change log first, each on its own, which makes such a group
	// rarer; TestPublisherNarrowsMixedGroups covers the publisher's rule
	// directly.)
	g := copyGroup(t, b)
	mixed := g.own != 0 && g.own != g.size && g.lastOwn != g.last
	t.Logf("eu-west-1's copy: group of %d records ending at seq %d, %d of them its own (mixed: %v)", g.size, g.last, g.own, mixed)
	// us-east-1 takes eu-west-1's republished records (versions it holds
	// already, so discarded) and acknowledges them: nothing is left
	// pending on the link, and it is not stuck.
	eventually(t, 15*time.Second, func() error {
		rs := linkStatus(t, a, "eu-west-1")
		if got := rs.Applied + rs.Discarded - from.Applied - from.Discarded; mixed && got < uint64(g.own) || rs.Pending != 0 || rs.State != "connected" {
			return fmt.Errorf("us-east-1's link from eu-west-1: %d changes taken since the re-add, want at least %d; %+v", got, g.own, rs)
		}
		return nil
	})
	put(t, b, "after", "from-b")
	eventually(t, 15*time.Second, converged(t, 17, a, b))
}

// linkStatus is n's replication status from source.
func linkStatus(t *testing.T, n *Node, source string) ReplicationStatus {
	t.Helper()
	for _, rs := range getStatus(t, n).Replication {
		if rs.Source == source {
			return rs
		}
	}
	t.Fatalf("%s has no link from %s", n.Region(), source)
	return ReplicationStatus{}
}

// copiedGroup describes the largest group of item records in a change log:
// its size and last seq, how many of its records the log's own region
// originated, and the seq of the last of those.
type copiedGroup struct {
	size          int
	last, lastOwn uint64
	own           int
}

func copyGroup(t *testing.T, n *Node) copiedGroup {
	t.Helper()
	recs, _, err := n.store.ReadChanges(context.Background(), 0, 0, storage.ChangeFilter{NoOld: true})
	if err != nil {
		t.Fatal(err)
	}
	var best copiedGroup
	var bestFirst uint64
	for _, r := range recs {
		if r.Kind != storage.ChangeItem || r.GroupSize <= best.size && r.Group != bestFirst {
			continue
		}
		if r.Group != bestFirst {
			best, bestFirst = copiedGroup{size: r.GroupSize}, r.Group
		}
		best.last = r.Seq
		if r.Origin == n.Region() {
			best.own++
			best.lastOwn = r.Seq
		}
	}
	return best
}
