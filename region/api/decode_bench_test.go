package api

import (
	"strings"
	"testing"

	"github.com/concorddb/concord/storage/item"
)

func BenchmarkDecodePutItem(b *testing.B) {
	body := []byte(`{"TableName":"bench","Item":{"pk":{"S":"p17"},"sk":{"N":"123456"},"n":{"N":"0"},"payload":{"S":"` + strings.Repeat("0123456789abcdef", 62) + `"}}}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var req putItemRequest
		if err := decode(body, &req); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkDecodeItemOnly(b *testing.B) {
	body := []byte(`{"pk":{"S":"p17"},"sk":{"N":"123456"},"n":{"N":"0"},"payload":{"S":"` + strings.Repeat("0123456789abcdef", 62) + `"}}`)
	b.SetBytes(int64(len(body)))
	b.ReportAllocs()
	for b.Loop() {
		var it item.Item
		if err := it.UnmarshalJSON(body); err != nil {
			b.Fatal(err)
		}
	}
}
