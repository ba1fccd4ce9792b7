package expr

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

// mustItem decodes an item in DynamoDB wire JSON; "" is a nil item.
func mustItem(t testing.TB, s string) item.Item {
	t.Helper()
	if s == "" {
		return nil
	}
	var it item.Item
	if err := json.Unmarshal([]byte(s), &it); err != nil {
		t.Fatalf("bad test item %s: %v", s, err)
	}
	return it
}

// mustValues decodes ExpressionAttributeValues in wire JSON.
func mustValues(t testing.TB, s string) map[string]item.Value {
	t.Helper()
	if s == "" {
		return nil
	}
	var m map[string]item.Value
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test values %s: %v", s, err)
	}
	return m
}

// mustNames decodes ExpressionAttributeNames JSON.
func mustNames(t testing.TB, s string) map[string]string {
	t.Helper()
	if s == "" {
		return nil
	}
	var m map[string]string
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("bad test names %s: %v", s, err)
	}
	return m
}

// wantValidation checks err is a *item.ValidationError with message want.
func wantValidation(t testing.TB, err error, want string) {
	t.Helper()
	var ve *item.ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("error = %v (%T), want ValidationError %q", err, err, want)
	}
	if ve.Message != want {
		t.Fatalf("message =\n  %s\nwant\n  %s", ve.Message, want)
	}
}

func itemJSON(it item.Item) string {
	b, _ := json.Marshal(it)
	return string(b)
}
