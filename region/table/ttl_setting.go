package table

import (
	"context"

	"github.com/concorddb/concord/storage"
)

// SetTTL enables Time to Live on the named table with attribute attr, or
// disables it (attr must then be the attribute it is enabled on). The
// setting is part of the table's definition, changed by this region, so
// it replicates. Enabling it twice is ErrTTLEnabled, disabling it twice
// ErrTTLDisabled, disabling it under another attribute a
// *TTLAttributeError; an unknown table is storage.ErrTableNotFound.
func (e *Engine) SetTTL(ctx context.Context, name string, enable bool, attr string) error {
	_, err := e.updateDefinition(ctx, name, func(cur *storage.TableDef) error {
		m, err := LoadMeta(*cur)
		if err != nil {
			return err
		}
		switch {
		case enable && m.TTLAttribute != "":
			return ErrTTLEnabled
		case !enable && m.TTLAttribute == "":
			return ErrTTLDisabled
		case !enable && m.TTLAttribute != attr:
			return &TTLAttributeError{Attr: m.TTLAttribute}
		case enable:
			m.TTLAttribute = attr
		default:
			m.TTLAttribute = ""
		}
		cur.Meta, err = m.Encode()
		return err
	})
	return err
}
