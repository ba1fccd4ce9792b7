package api

import (
	"encoding/json"
	"testing"
)

// TestDescribeContinuousBackups: a table's backups and point-in-time
// recovery are reported DISABLED (Concord has neither); an unknown table
// is TableNotFoundException, as for DynamoDB's backup operations.
func TestDescribeContinuousBackups(t *testing.T) {
	s := newItemsServer(t)
	arn := must(t, s, describeTable, `{"TableName":"hash"}`)["Table"].(map[string]any)["TableArn"].(string)
	const want = `{"ContinuousBackupsDescription":{"ContinuousBackupsStatus":"DISABLED","PointInTimeRecoveryDescription":{"PointInTimeRecoveryStatus":"DISABLED"}}}`
	for _, name := range []string{"hash", arn} {
		got, _ := json.Marshal(must(t, s, describeContinuousBackups, `{"TableName":"`+name+`"}`))
		if string(got) != want {
			t.Errorf("%s: %s, want %s", name, got, want)
		}
	}
	wantErr(t, s, describeContinuousBackups, `{"TableName":"nope"}`, typeTableNotFound, "Table not found: nope")
	wantErr(t, s, describeContinuousBackups, `{}`, typeValidation, "Value null at 'tableName' failed to satisfy constraint: Member must not be null")
	wantErr(t, s, describeContinuousBackups, `{"TableName":"x!"}`, typeValidation, "Member must satisfy regular expression pattern")
}
