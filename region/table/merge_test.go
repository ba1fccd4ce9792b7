package table

import (
	"encoding/json"
	"testing"
)

func TestMergeMeta(t *testing.T) {
	local := []byte(`{"tableId":"L","billingMode":"PROVISIONED","rcu":7,"wcu":3,"tags":[{"Key":"team","Value":"eu"}],
		"attributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"}]}`)
	remote := []byte(`{"tableId":"R","billingMode":"PAY_PER_REQUEST","ttlAttribute":"exp",
		"attributeDefinitions":[{"AttributeName":"pk","AttributeType":"S"},{"AttributeName":"g","AttributeType":"N"}],
		"indexThroughput":{"byG":[1,2]}}`)
	out, err := MergeMeta(local, remote)
	if err != nil {
		t.Fatal(err)
	}
	var m Meta
	if err := json.Unmarshal(out, &m); err != nil {
		t.Fatal(err)
	}
	if m.TableID != "L" || m.BillingMode != "PROVISIONED" || m.ReadCapacity != 7 || len(m.Tags) != 1 {
		t.Errorf("local settings lost: %+v", m)
	}
	if m.TTLAttribute != "exp" || len(m.AttributeDefinitions) != 2 || m.IndexThroughput["byG"] != [2]int64{1, 2} {
		t.Errorf("global settings not taken: %+v", m)
	}
	out, err = MergeMeta(nil, []byte(`{"tableId":"R","ttlAttribute":"exp","tags":[{"Key":"team","Value":"us"}]}`))
	var fresh Meta
	if err != nil || json.Unmarshal(out, &fresh) != nil {
		t.Fatalf("a new replica's meta: %s, %v", out, err)
	}
	if fresh.TableID == "" || fresh.TableID == "R" || len(fresh.Tags) != 0 || fresh.TTLAttribute != "exp" {
		t.Errorf("a new replica's meta %+v: want its own table ID, no tags, the TTL", fresh)
	}
	if out, err := MergeMeta(local, nil); err != nil || string(out) != string(local) {
		t.Errorf("no remote meta: got %s, %v; want the local one", out, err)
	}
	if _, err := MergeMeta(local, []byte("{")); err == nil {
		t.Error("a corrupt remote meta merged without an error")
	}
}
