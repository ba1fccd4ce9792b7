package api

import (
	"fmt"
	"testing"
)

func TestTableListPaging(t *testing.T) {
	s := newTableServer(t)
	var want []string
	for i := range 7 {
		name := fmt.Sprintf("t%03d", i)
		want = append(want, name)
		tblOK(t, s, createTable, `{"TableName":"`+name+`","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
			"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]`+ppr+`}`)
	}
	var got []string
	start := ""
	for pages := 0; ; pages++ {
		if pages > 10 {
			t.Fatal("paging does not end")
		}
		body := `{"Limit":3}`
		if start != "" {
			body = `{"Limit":3,"ExclusiveStartTableName":"` + start + `"}`
		}
		m := tblOK(t, s, listTables, body)
		for _, n := range m["TableNames"].([]any) {
			got = append(got, n.(string))
		}
		last, _ := m["LastEvaluatedTableName"].(string)
		if last == "" {
			break
		}
		start = last
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("tables %v, want %v", got, want)
	}
	m := tblOK(t, s, listTables, `{}`)
	if len(m["TableNames"].([]any)) != 7 || m["LastEvaluatedTableName"] != nil {
		t.Errorf("one page: %v", m)
	}
	tblErr(t, s, listTables, `{"Limit":0}`, typeValidation,
		"1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
	tblErr(t, s, listTables, `{"Limit":101}`, typeValidation, "Member must have value less than or equal to 100")
	tblErr(t, s, listTables, `{"ExclusiveStartTableName":"x"}`, typeValidation, "at 'exclusiveStartTableName'")
}
