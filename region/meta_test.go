package region

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"
)

// TestRegionLocalTableSettingsSurviveReplicatedChanges: a change another
// region makes to a table's definition (here its TTL) reaches this region
// without overwriting this region's own settings (tags, table ID,
// billing).
func TestRegionLocalTableSettingsSurviveReplicatedChanges(t *testing.T) {
	t.Parallel()
	a, b := linkedPair(t)
	ddb(t, a, "CreateTable", createT)
	eventually(t, 15*time.Second, converged(t, 0, a, b))

	describe := func(n *Node) (arn, id, billing string) {
		_, body := ddb(t, n, "DescribeTable", `{"TableName":"tbl"}`)
		var d struct {
			Table struct {
				TableArn, TableId     string
				BillingModeSummary    *struct{ BillingMode string }
				ProvisionedThroughput struct{ ReadCapacityUnits, WriteCapacityUnits int64 }
			}
		}
		if err := json.Unmarshal(body, &d); err != nil {
			t.Fatal(err)
		}
		billing = fmt.Sprint(d.Table.ProvisionedThroughput.ReadCapacityUnits, "/", d.Table.ProvisionedThroughput.WriteCapacityUnits)
		return d.Table.TableArn, d.Table.TableId, billing
	}
	arnB, idB, _ := describe(b)
	ddb(t, b, "TagResource", fmt.Sprintf(`{"ResourceArn":%q,"Tags":[{"Key":"team","Value":"eu"}]}`, arnB))
	ddb(t, b, "UpdateTable", `{"TableName":"tbl","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":7,"WriteCapacityUnits":3}}`)

	ddb(t, a, "UpdateTimeToLive", `{"TableName":"tbl","TimeToLiveSpecification":{"Enabled":true,"AttributeName":"exp"}}`)
	eventually(t, 15*time.Second, func() error {
		_, body := ddb(t, b, "DescribeTimeToLive", `{"TableName":"tbl"}`)
		var d struct {
			TimeToLiveDescription struct{ TimeToLiveStatus, AttributeName string }
		}
		if err := json.Unmarshal(body, &d); err != nil {
			return err
		}
		if d.TimeToLiveDescription.TimeToLiveStatus != "ENABLED" || d.TimeToLiveDescription.AttributeName != "exp" {
			return fmt.Errorf("eu-west-1 TTL: %+v", d.TimeToLiveDescription)
		}
		return nil
	})
	_, body := ddb(t, b, "ListTagsOfResource", fmt.Sprintf(`{"ResourceArn":%q}`, arnB))
	var tags struct{ Tags []struct{ Key, Value string } }
	if err := json.Unmarshal(body, &tags); err != nil {
		t.Fatal(err)
	}
	if len(tags.Tags) != 1 || tags.Tags[0].Key != "team" || tags.Tags[0].Value != "eu" {
		t.Errorf("eu-west-1's tags after us-east-1 changed the TTL: %+v, want team=eu", tags.Tags)
	}
	if _, id, billing := describe(b); id != idB || billing != "7/3" {
		t.Errorf("eu-west-1's table ID %s and throughput %s after us-east-1 changed the TTL; want %s and 7/3", id, billing, idB)
	}
	_, idA, billing := describe(a)
	if billing != "0/0" {
		t.Errorf("us-east-1 took eu-west-1's throughput %s", billing)
	}
	if idA == idB {
		t.Errorf("both replicas have the TableId %s; each should have its own", idA)
	}
}
