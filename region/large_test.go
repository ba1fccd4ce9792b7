package region

import (
	"bytes"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
)

// TestRegionReplicatesLargeItems: a PutItem of a 400 KB item of many
// small-mantissa numbers, which encodes to far more than NATS's default
// 1 MiB max payload (18.4 MB for 1E-130s), used to stop the region's
// publisher for good, silently for its peers. It replicates, and so do
// the writes after it.
func TestRegionReplicatesLargeItems(t *testing.T) {
	t.Parallel()
	a, b := linkedPair(t)
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, a, b))
	for _, n := range []string{"1E-130", "1000000000"} {
		elem := item.Num(n)
		count := (item.MaxItemSize - 64) / (1 + elem.Size())
		var body strings.Builder
		fmt.Fprintf(&body, `{"TableName":"tbl","Item":{"pk":{"S":%q},"l":{"L":[`, n)
		for i := range count {
			if i > 0 {
				body.WriteByte(',')
			}
			fmt.Fprintf(&body, `{"N":%q}`, n)
		}
		body.WriteString(`]}}}`)
		ddb(t, a, "PutItem", body.String())
	}
	put(t, a, "after", "small")
	eventually(t, 30*time.Second, converged(t, 3, a, b))
	for _, n := range []string{"1E-130", "1000000000"} {
		get := fmt.Sprintf(`{"TableName":"tbl","Key":{"pk":{"S":%q}},"ConsistentRead":true}`, n)
		_, want := ddb(t, a, "GetItem", get)
		_, got := ddb(t, b, "GetItem", get)
		if c := bytes.Count(got, []byte(`{"N":`)); c < 100_000 || !bytes.Equal(got, want) {
			t.Fatalf("eu-west-1's copy of item %s holds %d numbers, and differs from us-east-1's", n, c)
		}
	}
	if st := getStatus(t, a).Publisher; st.Failure != nil || st.Errors != 0 {
		t.Fatalf("us-east-1's publisher: %+v", st)
	}
}
