package api

import "testing"

func TestTableUpdate(t *testing.T) {
	s := newTableServer(t)
	tblOK(t, s, createTable, `{"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}],"ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`)

	tblErr(t, s, updateTable, `{"TableName":"tbl"}`, typeValidation, "At least one of ProvisionedThroughput, BillingMode")
	tblErr(t, s, updateTable, `{"TableName":"tbl","ProvisionedThroughput":{"ReadCapacityUnits":5,"WriteCapacityUnits":5}}`,
		typeValidation, "The provisioned throughput for the table will not change. The requested value equals the current value. Current ReadCapacityUnits provisioned for the table: 5. Requested ReadCapacityUnits: 5.")
	tblErr(t, s, updateTable, `{"TableName":"nope","BillingMode":"PAY_PER_REQUEST"}`, typeResourceNotFound,
		"Requested resource not found: Table: nope not found")
	tblErr(t, s, updateTable, `{"TableName":"tbl","GlobalSecondaryIndexUpdates":[{"Create":{}}]}`, typeValidation, "Value null at 'globalSecondaryIndexUpdates.1.member.create.indexName'")

	m := tblOK(t, s, updateTable, `{"TableName":"tbl","ProvisionedThroughput":{"ReadCapacityUnits":10,"WriteCapacityUnits":2}}`)
	pt := field(m, "TableDescription", "ProvisionedThroughput").(map[string]any)
	if pt["ReadCapacityUnits"] != 10.0 || pt["WriteCapacityUnits"] != 2.0 || pt["NumberOfDecreasesToday"] != 1.0 ||
		pt["LastIncreaseDateTime"] == nil || pt["LastDecreaseDateTime"] == nil {
		t.Errorf("throughput %v", pt)
	}

	m = tblOK(t, s, updateTable, `{"TableName":"tbl","BillingMode":"PAY_PER_REQUEST"}`)
	d := m["TableDescription"].(map[string]any)
	if field(d, "BillingModeSummary", "BillingMode") != "PAY_PER_REQUEST" || field(d, "BillingModeSummary", "LastUpdateToPayPerRequestDateTime") == nil ||
		field(d, "ProvisionedThroughput", "ReadCapacityUnits") != 0.0 {
		t.Errorf("on demand %v", d)
	}
	tblErr(t, s, updateTable, `{"TableName":"tbl","ProvisionedThroughput":{"ReadCapacityUnits":1,"WriteCapacityUnits":1}}`,
		typeValidation, "Neither ReadCapacityUnits nor WriteCapacityUnits can be specified when BillingMode is PAY_PER_REQUEST")
	tblErr(t, s, updateTable, `{"TableName":"tbl","BillingMode":"PROVISIONED"}`, typeValidation,
		"ProvisionedThroughput must be specified when BillingMode is PROVISIONED")
	m = tblOK(t, s, updateTable, `{"TableName":"tbl","BillingMode":"PROVISIONED","ProvisionedThroughput":{"ReadCapacityUnits":3,"WriteCapacityUnits":4}}`)
	if field(m, "TableDescription", "BillingModeSummary", "BillingMode") != "PROVISIONED" ||
		field(m, "TableDescription", "ProvisionedThroughput", "WriteCapacityUnits") != 4.0 {
		t.Errorf("provisioned again %v", m)
	}

	// Deletion protection blocks DeleteTable until it is turned off.
	tblOK(t, s, updateTable, `{"TableName":"tbl","DeletionProtectionEnabled":true}`)
	tblErr(t, s, deleteTable, `{"TableName":"tbl"}`, typeValidation, "protected against deletion")
	tblOK(t, s, updateTable, `{"TableName":"tbl","DeletionProtectionEnabled":false}`)
	tblOK(t, s, deleteTable, `{"TableName":"tbl"}`)

	// The description persists: describe shows what update wrote.
}

func TestTableDelete(t *testing.T) {
	s := newTableServer(t)
	tblOK(t, s, createTable, `{"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]`+ppr+`}`)
	m := tblOK(t, s, deleteTable, `{"TableName":"tbl"}`)
	if field(m, "TableDescription", "TableStatus") != "DELETING" || field(m, "TableDescription", "TableName") != "tbl" {
		t.Errorf("delete %v", m)
	}
	tblErr(t, s, describeTable, `{"TableName":"tbl"}`, typeResourceNotFound, "Table: tbl not found")
	tblErr(t, s, deleteTable, `{"TableName":"tbl"}`, typeResourceNotFound, "Requested resource not found: Table: tbl not found")
	tblErr(t, s, deleteTable, `{}`, typeValidation, "Value null at 'tableName'")
	// The name can be used again.
	tblOK(t, s, createTable, `{"TableName":"tbl","KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"k","AttributeType":"N"}]`+ppr+`}`)
}
