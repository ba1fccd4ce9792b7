package replicator

import (
	"context"
	"encoding/binary"
	"fmt"
	"strings"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
	"github.com/concorddb/concord/streams"
)

// Quarantine. A change that can never apply here as it is — its version
// does not decode, or its key or index values do not fit this region's
// definition of its table (the same incarnation should make that
// impossible; a bug or a damaged message can) — is neither applied nor
// dropped (DESIGN decision 8): it is quarantined, kept in the store in
// the same commit as its batch, counted (Quarantined; /admin/status,
// concord.replication.quarantined), and never blocks the other changes
// of its source. RetryQuarantined applies the quarantined changes again,
// after a fix; those that still do not apply stay.
//
// Quarantined changes are local settings: quarantinePrefix + table + "/"
// + origin + "/" + seq, holding the reason and the encoded change.
const quarantinePrefix = "replicator.quarantine/"

// quarantineWrite is the setting that quarantines c for reason.
func quarantineWrite(c *streams.Change, reason string) storage.SettingWrite {
	v := binary.AppendUvarint(nil, uint64(len(reason)))
	v = append(v, reason...)
	return storage.SettingWrite{
		Name:  fmt.Sprintf("%s%s/%s/%0*d", quarantinePrefix, c.Table, c.Origin, parkSeqDigits, c.Seq),
		Value: streams.EncodeChange(v, c),
	}
}

// decodeQuarantined parses a quarantined change's setting value.
func decodeQuarantined(b []byte) (reason string, c *streams.Change, err error) {
	n, w := binary.Uvarint(b)
	if w <= 0 || uint64(len(b)-w) < n {
		return "", nil, fmt.Errorf("%w: quarantined change", streams.ErrMalformed)
	}
	reason = string(b[w : w+int(n)])
	c, err = streams.DecodeChange(b[w+int(n):])
	return reason, c, err
}

// Quarantined counts the quarantined changes in store, per table.
func Quarantined(store *storage.Store) (map[string]int, error) {
	out := map[string]int{}
	err := store.ScanSettings(quarantinePrefix, func(name string, _ []byte) bool {
		tbl, _, _ := strings.Cut(strings.TrimPrefix(name, quarantinePrefix), "/")
		out[tbl]++
		return true
	})
	return out, err
}

// RetryQuarantined applies every quarantined change again, with the usual
// rule, in the order they were quarantined per table and origin. A change
// that still cannot apply is quarantined again. The region's admin
// endpoint calls it.
func RetryQuarantined(ctx context.Context, store *storage.Store, clock *hlc.Clock, region string) (Result, error) {
	var names []storage.SettingWrite
	var changes []*streams.Change
	var bad error
	err := store.ScanSettings(quarantinePrefix, func(name string, v []byte) bool {
		_, c, err := decodeQuarantined(v)
		if err != nil {
			bad = fmt.Errorf("replicator: quarantined change %s: %w", name, err)
			return true // it stays, with the others that do not decode
		}
		names = append(names, storage.SettingWrite{Name: name})
		changes = append(changes, c)
		return true
	})
	if err != nil || len(changes) == 0 {
		return Result{}, firstErr(err, bad)
	}
	if _, err := store.UpdateManyWith(ctx, nil, names); err != nil {
		return Result{}, fmt.Errorf("replicator: take %d changes out of quarantine: %w", len(names), err)
	}
	for _, c := range changes {
		c.Group, c.GroupSize = c.Seq, 1 // each on its own: its group is long applied
	}
	res, err := applyItems(ctx, store, clock, changes)
	return res, firstErr(err, bad)
}

func firstErr(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}
