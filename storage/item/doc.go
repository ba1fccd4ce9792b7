// Package item owns DynamoDB's data model: the AttributeValue (Value), the
// Item, DynamoDB's decimal numbers, the JSON wire form, a compact binary form
// for storage, item sizes and the limits that go with them.
//
// It knows nothing about tables, keys on disk or expressions. It imports only
// the standard library, and anything in the project may import it.
//
// # Numbers
//
// N values are held as canonical decimal text (CanonicalNumber): plain
// notation, no exponent, no redundant zeros, so equal numbers have equal
// text and CompareNumbers can order them without parsing. They are never
// float64. AddNumbers and SubtractNumbers are exact.
//
// # Wire and storage forms
//
// Value and Item implement json.Marshaler and json.Unmarshaler with a
// hand-written scanner and encoder (json.go, json_decode.go); decoding
// validates everything DynamoDB validates in an AttributeValue. Encoding is
// deterministic: map keys are sorted. Item.AppendBinary and DecodeBinary
// (binary.go) are the private storage form; equal items encode to equal
// bytes.
//
// Decoders copy their input once and hand out substrings of that copy, so
// the strings of one decoded item share a backing array. Values are
// immutable by convention: Clone before changing a shared one.
//
// # Errors
//
// Every problem with user input is returned as a *ValidationError whose
// Message is the text a DynamoDB user would see; region/api maps it to a
// ValidationException. JSON of the wrong shape is a *SerializationError
// (a SerializationException). Test for both with errors.As. DecodeBinary's
// errors wrap ErrCorrupt.
package item
