package item

// AppendBinary appends the compact storage form of it to dst. The form is
// private to Concord's store: it is not the wire form.
func (it Item) AppendBinary(dst []byte) []byte { panic("TODO") }

// DecodeBinary decodes what AppendBinary wrote.
func DecodeBinary(b []byte) (Item, error) { panic("TODO") }
