// Package table is Concord's table engine: the DynamoDB data model over
// storage, with no wire protocol in it. It owns what a table is and how it
// is written:
//
//   - a table's description (Meta, kept as JSON in storage.TableDef.Meta)
//     and the merge of a definition another region changed (MergeMeta);
//   - the write path of a region: timestamping a local write inside the
//     critical section that read the item's current version (Stamp),
//     conditional puts, updates and deletes, the checks every put makes
//     (key, attribute names, size, index keys);
//   - Time to Live (TTLAttribute, Expired): which items are expired, for
//     reads, writes and the region's sweeper;
//   - replica sets (IsReplica, Engine.Replicas): which regions hold a table,
//     and how a table's set changes (Engine.AddReplica, RemoveReplica);
//   - table definitions: what a valid table is, with its key schema,
//     indexes and settings (CreateSpec, Engine.CreateTable), how it changes
//     (Engine.UpdateTable, SetTTL, TagTable) and when it may be deleted
//     (Engine.DeleteTable). The protocol layer checks a request's members
//     one by one; the engine checks the rules between them and against the
//     table, in DynamoDB's order;
//   - table identity: incarnations (the version of a table's CreateTable),
//     ended incarnations and foreign ones (incarnation.go, foreign.go),
//     and versioned definitions, merged field by field (definition.go);
//   - consumed-capacity accounting (WriteUnits, ReadUnits, Capacity).
//
// Errors are typed (ConditionFailedError, ErrItemTooLarge, ...) and carry
// no DynamoDB wording: region/api, the protocol layer, words them once in
// its error catalogue. A second language over the same data (PartiQL) uses
// the same engine.
//
// It imports storage, storage/item, storage/expr and conflict. region/api,
// the replicator and region (the TTL sweeper, maintenance) import it; it
// imports none of them.
package table
