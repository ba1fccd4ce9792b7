package table

import (
	"encoding/json"
	"fmt"
)

// MergeMeta returns a table's new Meta when another region changed the
// table's definition (its replicas, indexes or TTL): this region takes the
// settings that belong to the global table from the remote Meta — the TTL
// attribute, the attribute definitions (which the indexes use) and the
// indexes' throughput — and keeps its own: table ID, billing mode and
// throughput, tags, table class, SSE and deletion protection. Without it,
// another region's change to one setting overwrote every local one.
//
// With no local Meta (this region is creating its replica of the table) the
// replica takes the remote Meta with an ID of its own and without the other
// region's tags, as a DynamoDB replica has its own TableId and tags. The
// replicator calls it.
func MergeMeta(local, remote []byte) ([]byte, error) {
	if len(remote) == 0 { // a table made without a meta (a tool, a test): nothing to take
		return local, nil
	}
	if len(local) == 0 {
		var r Meta
		if err := json.Unmarshal(remote, &r); err != nil {
			return nil, fmt.Errorf("table: decode replicated table meta: %w", err)
		}
		r.TableID, r.Tags = NewTableID(), nil
		return json.Marshal(&r)
	}
	var l, r Meta
	if err := json.Unmarshal(local, &l); err != nil {
		return nil, fmt.Errorf("table: decode local table meta: %w", err)
	}
	if err := json.Unmarshal(remote, &r); err != nil {
		return nil, fmt.Errorf("table: decode replicated table meta: %w", err)
	}
	l.TTLAttribute = r.TTLAttribute
	if len(r.AttributeDefinitions) > 0 {
		l.AttributeDefinitions = r.AttributeDefinitions
	}
	l.IndexThroughput = r.IndexThroughput
	return json.Marshal(&l)
}
