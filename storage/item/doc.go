// Package item owns DynamoDB's data model: the AttributeValue (Value), the
// Item, DynamoDB's decimal numbers, the JSON wire form, a compact binary form
// for storage, item sizes and the limits that go with them.
//
// It knows nothing about tables, keys on disk or expressions. It imports only
// the standard library, and anything in the project may import it.
//
// # Errors
//
// Every problem with user input is returned as a *ValidationError whose
// Message is the text a DynamoDB user would see; region/api maps it to a
// ValidationException. Test for it with errors.As.
package item
