package region

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/concorddb/concord/region/table"
)

// TestRegionConcurrentCreateTableConverges (issue 13): two regions create
// one table name at the same moment, then each writes to it. The greater
// incarnation must be the table in both. Found by the chaos run: when the
// replicated CreateTable reached a region while its own CreateTable was
// committing, the replicated one was dropped as "raced with a local
// CreateTable", and the region kept the smaller incarnation for good,
// parking the other's writes.
func TestRegionConcurrentCreateTableConverges(t *testing.T) {
	t.Parallel()
	a, b := linkedPair(t)
	call := func(n *Node, op, body string) (int, string, error) {
		req, _ := http.NewRequest(http.MethodPost, n.URL()+"/", strings.NewReader(body))
		req.Header.Set("X-Amz-Target", "DynamoDB_20120810."+op)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			return 0, "", err
		}
		out, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		return resp.StatusCode, string(out), nil
	}
	for i := range 40 {
		name := fmt.Sprintf("race%d", i)
		create := `{"TableName":"` + name + `","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],` +
			`"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`
		var wg sync.WaitGroup
		for _, n := range []*Node{a, b} {
			wg.Add(1)
			go func() { defer wg.Done(); _, _, _ = call(n, "CreateTable", create) }()
		}
		wg.Wait()
		for _, n := range []*Node{a, b} {
			// The losing incarnation is replaced by the winning one: a
			// write can meet the name absent for that moment.
			eventually(t, 10*time.Second, func() error {
				code, out, err := call(n, "PutItem", `{"TableName":"`+name+`","Item":{"pk":{"S":"from-`+n.Region()+`"}}}`)
				if err == nil && code != http.StatusOK {
					err = fmt.Errorf("PutItem in %s: %d %s", n.Region(), code, out)
				}
				return err
			})
		}
		eventually(t, 10*time.Second, func() error {
			da, errA := a.store.Table(name)
			db, errB := b.store.Table(name)
			if errA != nil || errB != nil || table.CompareIncarnations(da.Incarnation, db.Incarnation) != 0 {
				return fmt.Errorf("%s: incarnation %s in %s (%v), %s in %s (%v)", name, table.IncarnationString(da.Incarnation), a.Region(), errA,
					table.IncarnationString(db.Incarnation), b.Region(), errB)
			}
			sa, _ := a.store.Stats(name)
			sb, _ := b.store.Stats(name)
			if sa != sb {
				return fmt.Errorf("%s: %+v in %s, %+v in %s", name, sa, a.Region(), sb, b.Region())
			}
			return nil
		})
	}
}
