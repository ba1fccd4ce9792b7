package item

// UnmarshalJSON decodes the DynamoDB wire form ({"S":"x"}, {"N":"1"},
// {"B":"base64"}, {"BOOL":true}, {"NULL":true}, {"L":[...]}, {"M":{...}},
// {"SS":[...]}, {"NS":[...]}, {"BS":[...]}) and validates it fully: exactly
// one type key, sets non-empty and duplicate-free, numbers canonicalised,
// NULL must be true, nesting at most MaxDepth. Bad input gives a
// *ValidationError with DynamoDB's message.
func (v *Value) UnmarshalJSON(b []byte) error { panic("TODO") }

// MarshalJSON encodes the DynamoDB wire form.
func (v Value) MarshalJSON() ([]byte, error) { return v.AppendJSON(nil), nil }

// AppendJSON appends the wire form of v to dst.
func (v Value) AppendJSON(dst []byte) []byte { panic("TODO") }

// UnmarshalJSON decodes a JSON object of attribute names to values.
func (it *Item) UnmarshalJSON(b []byte) error { panic("TODO") }

// MarshalJSON encodes the item; attributes appear in sorted name order.
func (it Item) MarshalJSON() ([]byte, error) { return it.AppendJSON(nil), nil }

// AppendJSON appends the wire form of it to dst.
func (it Item) AppendJSON(dst []byte) []byte { panic("TODO") }
