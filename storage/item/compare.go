package item

// Compare orders two values of the same scalar type: S and B bytewise, N
// numerically. ok is false when the types differ or are not S, N or B.
func Compare(a, b Value) (c int, ok bool) { panic("TODO") }

// Equal is deep equality; sets compare as sets.
func Equal(a, b Value) bool { panic("TODO") }

// Clone returns a deep copy of v.
func (v Value) Clone() Value { panic("TODO") }

// Clone returns a deep copy of it.
func (it Item) Clone() Item { panic("TODO") }
