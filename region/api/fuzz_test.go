package api

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"testing"
)

// FuzzServeRequest sends arbitrary bodies to every operation of a server
// that holds a table with a few items. Whatever the input, the server
// must answer with a well-formed DynamoDB response: never a panic (which
// the server would turn into a 500), never an InternalServerError, and
// always a JSON body (with __type for errors).
func FuzzServeRequest(f *testing.F) {
	ops := make([]string, 0, len(operations)+len(streamsOperations))
	for op := range operations {
		ops = append(ops, targetPrefix+op)
	}
	for op := range streamsOperations {
		ops = append(ops, streamsTargetPrefix+op)
	}
	sort.Strings(ops)
	seeds := []string{
		`{"TableName":"fzz","Item":{"pk":{"S":"a"},"n":{"N":"1"}}}`,
		`{"TableName":"fzz","Key":{"pk":{"S":"a"}},"UpdateExpression":"SET n = n + :one","ExpressionAttributeValues":{":one":{"N":"1"}}}`,
		`{"TableName":"fzz","KeyConditionExpression":"pk = :p","ExpressionAttributeValues":{":p":{"S":"a"}}}`,
		`{"TableName":"fzz","FilterExpression":"size(l) > :z AND contains(s, :v)","ExpressionAttributeValues":{":z":{"N":"0"},":v":{"S":"x"}}}`,
		`{"RequestItems":{"fzz":[{"PutRequest":{"Item":{"pk":{"S":"b"}}}}]}}`,
		`{"RequestItems":{"fzz":{"Keys":[{"pk":{"S":"a"}}]}}}`,
		`{"TableName":"fzz2","AttributeDefinitions":[{"AttributeName":"k","AttributeType":"N"}],"KeySchema":[{"AttributeName":"k","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`,
		`{"TableName":"fzz","Expected":{"n":{"ComparisonOperator":"BETWEEN","AttributeValueList":[{"N":"1"},{"N":"2"}]}},"Item":{"pk":{"S":"c"}}}`,
		`{"StreamArn":"arn:aws:dynamodb:us-east-1:000000000000:table/fzz/stream/x"}`,
		`null`, `[]`, `{"TableName":{"S":"x"}}`, `{"Item":{"pk":{"L":[[[[[]]]]]}}}`,
	}
	for i, s := range seeds {
		f.Add(uint8(i), []byte(s))
	}
	f.Fuzz(func(t *testing.T, opIndex uint8, body []byte) {
		s := newTableServer(t)
		for _, setup := range []struct{ op, body string }{
			{"CreateTable", `{"TableName":"fzz","AttributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}],"KeySchema":[{"AttributeName":"pk","KeyType":"HASH"}],"BillingMode":"PAY_PER_REQUEST"}`},
			{"PutItem", `{"TableName":"fzz","Item":{"pk":{"S":"a"},"n":{"N":"1"},"l":{"L":[{"S":"x"}]},"s":{"SS":["x","y"]}}}`},
		} {
			if w := serve(s, targetPrefix+setup.op, []byte(setup.body)); w.Code != http.StatusOK {
				t.Fatalf("setup %s: %d %s", setup.op, w.Code, w.Body)
			}
		}
		op := ops[int(opIndex)%len(ops)]
		w := serve(s, op, body)
		if w.Code >= 500 {
			t.Fatalf("%s %q: status %d: %s", op, body, w.Code, w.Body)
		}
		var out map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
			t.Fatalf("%s %q: response is not a JSON object: %v: %s", op, body, err, w.Body)
		}
		if w.Code != http.StatusOK {
			typ, _ := out["__type"].(string)
			if !strings.Contains(typ, "#") || out["message"] == nil && out["Message"] == nil {
				t.Fatalf("%s %q: error without __type and message: %s", op, body, w.Body)
			}
		}
	})
}

func serve(s *Server, target string, body []byte) *httptest.ResponseRecorder {
	r := httptest.NewRequest(http.MethodPost, "/", bytes.NewReader(body))
	r.Header.Set("X-Amz-Target", target)
	w := httptest.NewRecorder()
	s.ServeHTTP(w, r)
	return w
}
