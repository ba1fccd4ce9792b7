package table

import "context"

// MaxTags is how many tags a table may have.
const MaxTags = 50

// Tags are this replica's own (MergeMeta keeps them): changing them
// changes the table's meta only, which does not replicate.

// TagTable adds tags to the named table, replacing the values of keys it
// has. More than MaxTags tags in all is ErrTooManyTags, and changes
// nothing; an unknown table is storage.ErrTableNotFound.
func (e *Engine) TagTable(ctx context.Context, name string, tags []Tag) error {
	return e.updateTags(ctx, name, func(cur []Tag) ([]Tag, error) {
		out := append([]Tag(nil), cur...)
	next:
		for _, t := range tags {
			for i := range out {
				if out[i].Key == t.Key {
					out[i].Value = t.Value
					continue next
				}
			}
			out = append(out, t)
		}
		if len(out) > MaxTags {
			return nil, ErrTooManyTags
		}
		return out, nil
	})
}

// UntagTable removes the tags of the given keys from the named table;
// keys it does not have are ignored. An unknown table is
// storage.ErrTableNotFound.
func (e *Engine) UntagTable(ctx context.Context, name string, keys []string) error {
	drop := make(map[string]bool, len(keys))
	for _, k := range keys {
		drop[k] = true
	}
	return e.updateTags(ctx, name, func(cur []Tag) ([]Tag, error) {
		out := make([]Tag, 0, len(cur))
		for _, t := range cur {
			if !drop[t.Key] {
				out = append(out, t)
			}
		}
		return out, nil
	})
}

// updateTags replaces the named table's tags with fn's result.
func (e *Engine) updateTags(ctx context.Context, name string, fn func([]Tag) ([]Tag, error)) error {
	// UpdateTableMeta hands over the meta alone; LoadMeta needs the key
	// schema for a table made without a meta.
	keys, err := e.opts.Store.Table(name)
	if err != nil {
		return err
	}
	_, err = e.opts.Store.UpdateTableMeta(ctx, name, func(meta []byte) ([]byte, error) {
		cur := keys
		cur.Meta = meta
		m, err := LoadMeta(cur)
		if err != nil {
			return nil, err
		}
		if m.Tags, err = fn(m.Tags); err != nil {
			return nil, err
		}
		return m.Encode()
	})
	return err
}
