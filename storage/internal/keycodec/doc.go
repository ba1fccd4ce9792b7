// Package keycodec encodes DynamoDB key values (S, N and B) into bytes whose
// bytewise order equals DynamoDB's order of the values, and decodes them
// back. The storage package builds Pebble keys from these encodings, so a
// range scan over encoded keys visits items in sort-key order.
//
// # Format
//
// S and B: the raw bytes with every 0x00 written as 0x00 0xFF, followed by
// the terminator 0x00 0x01. A value sorts before every longer value it
// prefixes (the terminator 0x00 0x01 sorts below every non-zero byte and
// below the escape 0x00 0xFF), and
// the encoding is self-delimiting, so encodings can be concatenated.
// AppendBytesPrefix writes the escaped bytes without the terminator: every
// encoding of a value that begins with p starts with it, which turns
// begins_with into a prefix range.
//
// N: one tag byte (0x01 negative, 0x02 zero, 0x03 positive). For a non-zero
// number written as 0.d1d2...dn × 10^E (d1 != 0, dn != 0) follow E as a
// big-endian uint16 biased by 0x8000 and each digit as the byte d+1,
// terminated by 0x00. Negative numbers invert every byte after the tag
// (so the terminator becomes 0xFF), which reverses their order.
//
// It is internal to storage and imports only storage/item and the standard
// library.
package keycodec
