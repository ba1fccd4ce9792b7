package api

import (
	"context"

	"github.com/concorddb/concord/conflict"
)

// keyVersion is the response header that carries the version a PutItem,
// UpdateItem or DeleteItem gave the item, as conflict.Version.String()
// ("<wallnanos>.<logical>@<region>"). It is omitted when nothing was
// written (a delete of an absent item) and on BatchWriteItem.
const keyVersion = "X-Concord-Version"

// versionOps are the operations that answer with keyVersion.
var versionOps = map[string]bool{"PutItem": true, "UpdateItem": true, "DeleteItem": true}

// versionHolder carries the version of a request's write from the write
// path (stamp) to the response writer (serveOperation). The server puts
// one in the request context; one request's handler runs on one goroutine
// at a time, so it needs no lock.
type versionHolder struct {
	v  conflict.Version
	ok bool
}

// versionKey is the context key of a *versionHolder.
type versionKey struct{}

// withVersionHolder returns ctx carrying a fresh holder.
func withVersionHolder(ctx context.Context) (context.Context, *versionHolder) {
	h := &versionHolder{}
	return context.WithValue(ctx, versionKey{}, h), h
}

// recordVersion stores v in ctx's holder, if it has one. A write retried
// inside storage.Update records each attempt; the last one committed.
func recordVersion(ctx context.Context, v conflict.Version) {
	if h, ok := ctx.Value(versionKey{}).(*versionHolder); ok {
		h.v, h.ok = v, true
	}
}
