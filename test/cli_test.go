package test

import (
	"encoding/json"
	"os"
	"os/exec"
	"strings"
	"testing"
)

// awsCLI runs `aws dynamodb <args> --endpoint-url <node>` and decodes its
// JSON output into out (if non-nil).
func awsCLI(t *testing.T, nd *node, out any, args ...string) {
	t.Helper()
	cmd := exec.Command("aws", append(append([]string{"dynamodb"}, args...), "--endpoint-url", nd.url, "--output", "json")...)
	cmd.Env = append(os.Environ(), "AWS_ACCESS_KEY_ID=test", "AWS_SECRET_ACCESS_KEY=test", "AWS_DEFAULT_REGION=us-east-1",
		"AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null", "AWS_PAGER=")
	var stderr strings.Builder
	cmd.Stderr = &stderr
	b, err := cmd.Output()
	if err != nil {
		t.Fatalf("aws dynamodb %s: %v\n%s", args[0], err, stderr.String())
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("aws dynamodb %s output %q: %v", args[0], b, err)
		}
	}
}

func TestCLISmoke(t *testing.T) {
	t.Parallel()
	if _, err := exec.LookPath("aws"); err != nil {
		t.Fatal("the AWS CLI (`aws`) is not on PATH; install it (CI has it) to run the CLI smoke test")
	}
	nd := sharedNode(t)
	tbl := tableName(t)
	var created struct {
		TableDescription struct {
			TableName string
			KeySchema []struct{ AttributeName, KeyType string }
		}
	}
	awsCLI(t, nd, &created, "create-table", "--table-name", tbl,
		"--attribute-definitions", "AttributeName=pk,AttributeType=S", "AttributeName=sk,AttributeType=N",
		"--key-schema", "AttributeName=pk,KeyType=HASH", "AttributeName=sk,KeyType=RANGE",
		"--billing-mode", "PAY_PER_REQUEST")
	if created.TableDescription.TableName != tbl || len(created.TableDescription.KeySchema) != 2 {
		t.Fatalf("create-table output = %+v", created)
	}
	awsCLI(t, nd, nil, "wait", "table-exists", "--table-name", tbl)
	for _, sk := range []string{"1", "2", "3"} {
		awsCLI(t, nd, nil, "put-item", "--table-name", tbl, "--item", `{"pk":{"S":"cli"},"sk":{"N":"`+sk+`"},"msg":{"S":"hello `+sk+`"},"tags":{"SS":["a","b"]}}`)
	}
	var got struct{ Item map[string]map[string]any }
	awsCLI(t, nd, &got, "get-item", "--table-name", tbl, "--key", `{"pk":{"S":"cli"},"sk":{"N":"2"}}`, "--consistent-read")
	if got.Item["msg"]["S"] != "hello 2" || got.Item["sk"]["N"] != "2" {
		t.Errorf("get-item = %+v", got)
	}
	var q struct {
		Items []map[string]map[string]any
		Count int
	}
	awsCLI(t, nd, &q, "query", "--table-name", tbl, "--key-condition-expression", "pk = :p AND sk >= :s",
		"--expression-attribute-values", `{":p":{"S":"cli"},":s":{"N":"2"}}`, "--no-scan-index-forward")
	if q.Count != 2 || len(q.Items) != 2 || q.Items[0]["sk"]["N"] != "3" {
		t.Errorf("query = %+v", q)
	}
	var sc struct {
		Items []map[string]map[string]any
		Count int
	}
	// --page-size makes the CLI follow LastEvaluatedKey itself.
	awsCLI(t, nd, &sc, "scan", "--table-name", tbl, "--page-size", "1")
	if sc.Count != 3 || len(sc.Items) != 3 {
		t.Errorf("scan = %+v", sc)
	}
	var del struct{ TableDescription struct{ TableName string } }
	awsCLI(t, nd, &del, "delete-table", "--table-name", tbl)
	if del.TableDescription.TableName != tbl {
		t.Errorf("delete-table output = %+v", del)
	}
	var lt struct{ TableNames []string }
	awsCLI(t, nd, &lt, "list-tables")
	for _, name := range lt.TableNames {
		if name == tbl {
			t.Errorf("list-tables still names %s after delete-table", tbl)
		}
	}
}

const boto3Script = `
import sys, boto3
from boto3.dynamodb.conditions import Key
from decimal import Decimal
ddb = boto3.resource("dynamodb", endpoint_url=sys.argv[1], region_name="us-east-1",
                     aws_access_key_id="test", aws_secret_access_key="test")
name = sys.argv[2]
t = ddb.create_table(TableName=name, BillingMode="PAY_PER_REQUEST",
    AttributeDefinitions=[{"AttributeName": "pk", "AttributeType": "S"}, {"AttributeName": "sk", "AttributeType": "N"}],
    KeySchema=[{"AttributeName": "pk", "KeyType": "HASH"}, {"AttributeName": "sk", "KeyType": "RANGE"}])
t.wait_until_exists()
with t.batch_writer() as bw:
    for i in range(30):
        bw.put_item(Item={"pk": "b", "sk": i, "d": Decimal("1.5") * i, "s": {"x", "y"}, "m": {"l": [1, "two", None, True]}})
it = t.get_item(Key={"pk": "b", "sk": 7}, ConsistentRead=True)["Item"]
assert it["d"] == Decimal("10.5"), it
assert it["s"] == {"x", "y"}, it
assert it["m"] == {"l": [1, "two", None, True]}, it
r = t.query(KeyConditionExpression=Key("pk").eq("b") & Key("sk").between(5, 9), ScanIndexForward=False)
assert [int(x["sk"]) for x in r["Items"]] == [9, 8, 7, 6, 5], r["Items"]
t.update_item(Key={"pk": "b", "sk": 1}, UpdateExpression="ADD c :one", ExpressionAttributeValues={":one": 1})
try:
    t.put_item(Item={"pk": "b", "sk": 1}, ConditionExpression="attribute_not_exists(pk)")
    raise SystemExit("conditional put did not fail")
except ddb.meta.client.exceptions.ConditionalCheckFailedException:
    pass
n = 0
kw = {"Limit": 7}
while True:
    page = t.scan(**kw)
    n += len(page["Items"])
    if "LastEvaluatedKey" not in page:
        break
    kw["ExclusiveStartKey"] = page["LastEvaluatedKey"]
assert n == 30, n
t.delete()
print("ok")
`

func TestBoto3Smoke(t *testing.T) {
	t.Parallel()
	py, err := exec.LookPath("python3")
	if err != nil {
		t.Fatal("python3 is not on PATH: install it with boto3 (pip install boto3) to run the boto3 smoke test")
	}
	if out, err := exec.Command(py, "-c", "import boto3").CombinedOutput(); err != nil {
		t.Fatalf("boto3 is not installed for %s (pip install boto3): %v\n%s", py, err, out)
	}
	nd := sharedNode(t)
	cmd := exec.Command(py, "-c", boto3Script, nd.url, tableName(t))
	cmd.Env = append(os.Environ(), "AWS_CONFIG_FILE=/dev/null", "AWS_SHARED_CREDENTIALS_FILE=/dev/null")
	out, err := cmd.CombinedOutput()
	if err != nil || !strings.Contains(string(out), "ok") {
		t.Errorf("boto3 smoke: %v\n%s", err, out)
	}
}
