package item

// Size is v's size as DynamoDB counts it (S and B their bytes, N about one
// byte per two significant digits plus one, BOOL and NULL one, L and M three
// bytes of overhead plus one per element plus the elements, and map keys
// their UTF-8 bytes).
func (v Value) Size() int { panic("TODO") }

// Size is the item's size as DynamoDB counts it: the sum over attributes of
// the name's UTF-8 length and the value's Size.
func (it Item) Size() int { panic("TODO") }
