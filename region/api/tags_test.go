package api

import (
	"fmt"
	"strings"
	"testing"
)

func TestTableTags(t *testing.T) {
	s := newTableServer(t)
	tblOK(t, s, createTable, `{"TableName":"tbl","KeySchema":[{"AttributeName":"id","KeyType":"HASH"}],
		"AttributeDefinitions":[{"AttributeName":"id","AttributeType":"S"}]`+ppr+`,"Tags":[{"Key":"a","Value":"1"}]}`)
	arn := `"arn:aws:dynamodb:us-east-1:000000000000:table/tbl"`
	list := func() string {
		m := tblOK(t, s, listTagsOfResource, `{"ResourceArn":`+arn+`}`)
		var parts []string
		for _, tg := range m["Tags"].([]any) {
			tm := tg.(map[string]any)
			parts = append(parts, fmt.Sprintf("%v=%v", tm["Key"], tm["Value"]))
		}
		return strings.Join(parts, ",")
	}
	if got := list(); got != "a=1" {
		t.Errorf("tags %q", got)
	}
	tblOK(t, s, tagResource, `{"ResourceArn":`+arn+`,"Tags":[{"Key":"a","Value":"2"},{"Key":"b","Value":""}]}`)
	if got := list(); got != "a=2,b=" {
		t.Errorf("tags %q", got)
	}
	tblOK(t, s, untagResource, `{"ResourceArn":`+arn+`,"TagKeys":["a","zzz"]}`)
	if got := list(); got != "b=" {
		t.Errorf("tags %q", got)
	}

	missing := `"arn:aws:dynamodb:us-east-1:000000000000:table/nope"`
	tblErr(t, s, tagResource, `{"ResourceArn":`+missing+`,"Tags":[{"Key":"a","Value":"1"}]}`, typeResourceNotFound,
		"Requested resource not found: ResourcArn: arn:aws:dynamodb:us-east-1:000000000000:table/nope not found")
	tblErr(t, s, listTagsOfResource, `{"ResourceArn":`+missing+`}`, typeResourceNotFound, "not found")
	tblErr(t, s, untagResource, `{"ResourceArn":"arn:aws:dynamodb:eu-west-1:000000000000:table/tbl","TagKeys":["a"]}`,
		typeResourceNotFound, "not found")
	tblErr(t, s, listTagsOfResource, `{"ResourceArn":"not-an-arn"}`, typeValidation, "Invalid TableArn")
	tblErr(t, s, listTagsOfResource, `{}`, typeValidation, "Value null at 'resourceArn'")
	tblErr(t, s, tagResource, `{"ResourceArn":`+arn+`}`, typeValidation, "Value null at 'tags'")
	tblErr(t, s, untagResource, `{"ResourceArn":`+arn+`}`, typeValidation, "Value null at 'tagKeys'")
	tblErr(t, s, tagResource, `{"ResourceArn":`+arn+`,"Tags":[{"Key":"`+strings.Repeat("k", 129)+`","Value":"1"}]}`,
		typeValidation, "at 'tags.1.member.key' failed to satisfy constraint: Member must have length less than or equal to 128")
	tblErr(t, s, tagResource, `{"ResourceArn":`+arn+`,"Tags":[{"Key":"k","Value":"`+strings.Repeat("v", 257)+`"}]}`,
		typeValidation, "Member must have length less than or equal to 256")
	tblErr(t, s, tagResource, `{"ResourceArn":`+arn+`,"Tags":[{"Key":"k!","Value":"1"}]}`, typeValidation, "regular expression pattern")
	tblErr(t, s, tagResource, `{"ResourceArn":`+arn+`,"Tags":[{"Key":"aws:x","Value":"1"}]}`, typeValidation, "reserved")

	var many []string
	for i := range 50 {
		many = append(many, fmt.Sprintf(`{"Key":"k%d","Value":"v"}`, i))
	}
	tblErr(t, s, tagResource, `{"ResourceArn":`+arn+`,"Tags":[`+strings.Join(many, ",")+`]}`, typeValidation, "exceeds the limit of 50")
	if got := list(); got != "b=" {
		t.Errorf("a failed TagResource changed the tags: %q", got)
	}
}

func TestTableEndpointsAndLimits(t *testing.T) {
	s := newTableServer(t)
	checkResponse(t, post(t, s, "DynamoDB_20120810.DescribeLimits", []byte(`{}`), nil), 200)
	m := tblOK(t, s, describeLimits, `{}`)
	if m["AccountMaxReadCapacityUnits"] != 80000.0 || m["TableMaxWriteCapacityUnits"] != 40000.0 {
		t.Errorf("limits %v", m)
	}
	m = checkResponse(t, post(t, s, "DynamoDB_20120810.DescribeEndpoints", []byte(`{}`), nil), 200)
	eps := m["Endpoints"].([]any)
	if len(eps) != 1 || field(eps[0].(map[string]any), "Address") != "example.com" ||
		field(eps[0].(map[string]any), "CachePeriodInMinutes") != 1440.0 {
		t.Errorf("endpoints %v", m)
	}
	s.opts.Endpoint = "db.local:8000"
	m = tblOK(t, s, describeEndpoints, `{}`)
	if field(m["Endpoints"].([]any)[0].(map[string]any), "Address") != "db.local:8000" {
		t.Errorf("endpoints %v", m)
	}
}
