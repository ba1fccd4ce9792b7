package api

import (
	"encoding/json"
	"strconv"

	"github.com/concorddb/concord/storage/item"
)

// respBody builds a JSON response object by appending, which keeps the hot
// paths free of reflection. Field names are constants chosen by the caller
// and are not escaped.
type respBody struct{ b []byte }

func newBody(capacity int) respBody {
	b := make([]byte, 1, capacity)
	b[0] = '{'
	return respBody{b: b}
}

// key starts a field.
func (w *respBody) key(name string) {
	if len(w.b) > 1 {
		w.b = append(w.b, ',')
	}
	w.b = append(w.b, '"')
	w.b = append(w.b, name...)
	w.b = append(w.b, '"', ':')
}

func (w *respBody) item(name string, it item.Item) {
	w.key(name)
	w.b = it.AppendJSON(w.b)
}

func (w *respBody) int(name string, n int) {
	w.key(name)
	w.b = strconv.AppendInt(w.b, int64(n), 10)
}

func (w *respBody) raw(name string, raw []byte) {
	w.key(name)
	w.b = append(w.b, raw...)
}

// bytes closes the object and returns it.
func (w *respBody) bytes() []byte { return append(w.b, '}') }

// appendString appends s as a JSON string.
func appendString(dst []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x80 {
			q, _ := json.Marshal(s)
			return append(dst, q...)
		}
	}
	dst = append(dst, '"')
	dst = append(dst, s...)
	return append(dst, '"')
}
