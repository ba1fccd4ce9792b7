package api

import (
	"testing"
)

func TestTableReplicaUpdates(t *testing.T) {
	s := newTableServer(t)
	s.SetRegions(func() []string { return []string{"eu-west-1", "ap-southeast-2"} })
	tblOK(t, s, createTable, `{"TableName":"glob","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`)
	replicas := func() []string {
		d := tblOK(t, s, describeTable, `{"TableName":"glob"}`)
		var out []string
		rs, _ := field(d, "Table", "Replicas").([]any)
		for _, r := range rs {
			m := r.(map[string]any)
			if m["ReplicaStatus"] != "ACTIVE" {
				t.Fatalf("replica %v not ACTIVE", m)
			}
			out = append(out, m["RegionName"].(string))
		}
		if len(out) > 0 && field(d, "Table", "GlobalTableVersion") != "2019.11.21" {
			t.Fatalf("GlobalTableVersion = %v", field(d, "Table", "GlobalTableVersion"))
		}
		return out
	}
	if got := replicas(); len(got) != 3 || got[0] != "ap-southeast-2" || got[2] != "us-east-1" {
		t.Fatalf("replicas of a new table = %v, want all three regions", got)
	}
	tblOK(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{"Delete":{"RegionName":"eu-west-1"}}]}`)
	if got := replicas(); len(got) != 2 || got[1] != "us-east-1" {
		t.Fatalf("replicas after deleting eu-west-1 = %v", got)
	}
	tblErr(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{"Delete":{"RegionName":"eu-west-1"}}]}`,
		typeValidation, "replica does not exist")
	tblErr(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{"Create":{"RegionName":"us-east-1"}}]}`,
		typeValidation, "already existed")
	tblErr(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{"Create":{"RegionName":"mars-1"}}]}`,
		typeValidation, "not part of this Concord deployment")
	tblErr(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{"Delete":{"RegionName":"us-east-1"}}]}`,
		typeValidation, "another replica's region")
	tblErr(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}},{"Delete":{"RegionName":"ap-southeast-2"}}]}`,
		typeValidation, "only one replica")
	tblErr(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{}]}`, typeValidation, "exactly one of")
	tblErr(t, s, updateTable, `{"TableName":"glob","BillingMode":"PROVISIONED","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}`,
		typeValidation, "cannot be combined")
	tblOK(t, s, updateTable, `{"TableName":"glob","ReplicaUpdates":[{"Create":{"RegionName":"eu-west-1"}}]}`)
	if got := replicas(); len(got) != 3 {
		t.Fatalf("replicas after re-adding eu-west-1 = %v", got)
	}
	// A single-region deployment has no global-table fields.
	lone := newTableServer(t)
	tblOK(t, lone, createTable, `{"TableName":"solo","BillingMode":"PAY_PER_REQUEST",
		"AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],
		"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}]}`)
	if d := tblOK(t, lone, describeTable, `{"TableName":"solo"}`); field(d, "Table", "Replicas") != nil {
		t.Fatalf("single-region table has Replicas: %v", field(d, "Table", "Replicas"))
	}
}
