package api

// keyVersion is the response header that carries the version a PutItem,
// UpdateItem or DeleteItem gave the item, as conflict.Version.String()
// ("<wallnanos>.<logical>@<region>"), which the table engine records in
// the request's table.Request. It is omitted when nothing was written (a
// delete of an absent item) and on BatchWriteItem.
const keyVersion = "X-Concord-Version"

// versionOps are the operations that answer with keyVersion.
var versionOps = map[string]bool{"PutItem": true, "UpdateItem": true, "DeleteItem": true}
