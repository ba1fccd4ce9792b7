package api

// keyVersion is the response header that carries the version a PutItem,
// UpdateItem or DeleteItem gave the item, as conflict.Version.String()
// ("<wallnanos>.<logical>@<region>"), which the table engine records in
// the request's table.Request (a DeleteItem of an absent item included:
// it writes a tombstone). It is omitted on BatchWriteItem.
const keyVersion = "X-Concord-Version"

// versionOps are the operations that answer with keyVersion.
var versionOps = map[string]bool{"PutItem": true, "UpdateItem": true, "DeleteItem": true}
