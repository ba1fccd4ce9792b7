package region

import (
	"bytes"
	"fmt"
	"testing"
	"time"
)

// TestRegionReplicaReAddKeepsDeletes is the README's "take a region out
// of the table, and add it back" while a third region writes (issue 13,
// case 2b). eu-west-1 leaves the table and stops hearing from
// ap-southeast-2, which puts x; us-east-1 receives that put and deletes x;
// eu-west-1 is added back and copies the table from us-east-1, then hears
// ap-southeast-2's put, older than the delete. The copy carried x's
// tombstone, so the put loses and x stays deleted everywhere.
func TestRegionReplicaReAddKeepsDeletes(t *testing.T) {
	t.Parallel()
	a, b, c := startNode(t, "us-east-1"), startNode(t, "eu-west-1"), startNode(t, "ap-southeast-2")
	ns := []*Node{a, b, c}
	for _, dst := range ns {
		for _, src := range ns {
			if dst != src {
				link(t, dst, src)
			}
		}
	}
	ddb(t, a, "CreateTable", createT)
	put(t, a, "y", "kept")
	eventually(t, 15*time.Second, converged(t, 1, ns...))

	ddb(t, a, "UpdateTable", `{"TableName":"tbl","ReplicaUpdates":[{"Delete":{"RegionName":"eu-west-1"}}]}`)
	eventually(t, 15*time.Second, func() error {
		for _, ts := range getStatus(t, b).Tables {
			if ts.Name == "tbl" {
				return fmt.Errorf("eu-west-1 still holds the table")
			}
		}
		return nil
	})
	unlink(t, b, c)
	put(t, c, "x", "from-c")
	eventually(t, 15*time.Second, func() error {
		if _, body := ddb(t, a, "GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"x"}},"ConsistentRead":true}`); !bytes.Contains(body, []byte("from-c")) {
			return fmt.Errorf("x in us-east-1: %s", body)
		}
		return nil
	})
	ddb(t, a, "DeleteItem", `{"TableName":"tbl","Key":{"pk":{"S":"x"}}}`)
	eventually(t, 15*time.Second, converged(t, 1, a, c))

	ddb(t, a, "UpdateTable", `{"TableName":"tbl","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}`)
	eventually(t, 15*time.Second, func() error {
		for _, rs := range getStatus(t, b).Replication {
			if rs.Source == "us-east-1" && rs.Backfill.Completed == 1 {
				return nil
			}
		}
		return fmt.Errorf("eu-west-1 has not copied the table from us-east-1: %+v", getStatus(t, b).Replication)
	})
	// Now ap-southeast-2's older put of x reaches eu-west-1.
	link(t, b, c)
	eventually(t, 15*time.Second, func() error {
		for _, rs := range getStatus(t, b).Replication {
			if rs.Source == "ap-southeast-2" && rs.Pending == 0 && rs.Applied+rs.Discarded > 0 {
				return nil
			}
		}
		return fmt.Errorf("eu-west-1 has not consumed ap-southeast-2's stream: %+v", getStatus(t, b).Replication)
	})
	if _, body := ddb(t, b, "GetItem", `{"TableName":"tbl","Key":{"pk":{"S":"x"}},"ConsistentRead":true}`); bytes.Contains(body, []byte("from-c")) {
		t.Fatalf("x came back in eu-west-1: %s", body)
	}
	eventually(t, 15*time.Second, converged(t, 1, ns...))
	if st := getStatus(t, a); st.BackfillServed == nil || st.BackfillServed.Pages == 0 || st.BackfillServed.Failed != 0 {
		t.Fatalf("us-east-1 backfill served: %+v", st.BackfillServed)
	}
}
