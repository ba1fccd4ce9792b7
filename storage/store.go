package storage

import (
	"context"
	"errors"
	"log/slog"

	"github.com/cockroachdb/pebble/v2/vfs"
	"github.com/concorddb/concord/storage/item"
)

// Errors returned by Store; test with errors.Is.
var (
	// ErrTableExists is returned by CreateTable for a name in use.
	ErrTableExists = errors.New("storage: table already exists")
	// ErrTableNotFound is returned by any call naming an unknown table.
	ErrTableNotFound = errors.New("storage: table not found")
	// ErrClosed is returned by calls on a closed Store.
	ErrClosed = errors.New("storage: closed")
)

// Options configures a Store. The zero value works.
type Options struct {
	// FS is the filesystem; default vfs.Default (the OS). Tests use vfs.NewMem().
	FS vfs.FS
	// Logger receives Pebble's and the store's logs; default slog.Default().
	Logger *slog.Logger
	// CacheSize is Pebble's block cache in bytes; default 64 MiB.
	CacheSize int64
}

// KeyAttr is one attribute of a primary key.
type KeyAttr struct {
	Name string
	Type item.Type // TypeS, TypeN or TypeB
}

// TableDef is a table as the store keeps it.
type TableDef struct {
	Name string
	// ID is assigned by CreateTable and never reused.
	ID           uint64
	PartitionKey KeyAttr
	// SortKey is nil for a table with a partition key only.
	SortKey *KeyAttr
	// CreatedAt is the creation time in Unix nanoseconds, set by the caller.
	CreatedAt int64
	// Meta is opaque to the store: region/api keeps its description of the
	// table (attribute definitions, billing mode, throughput, tags, ...)
	// here, and the store persists it verbatim.
	Meta []byte
}

// TableStats are a table's live figures, exact and durable (updated in the
// same batch as each write).
type TableStats struct {
	ItemCount int64
	SizeBytes int64
	// Digest is an order-independent digest of the live items (key, version
	// and value): two stores with equal digests hold the same items.
	Digest [16]byte
}

// Meta is what the store knows about an item's current version.
type Meta struct {
	// Version is the opaque version of the current item or tombstone; nil
	// if the key was never written.
	Version []byte
	// Tombstone reports that the current version is a delete.
	Tombstone bool
}

// Mutation is an UpdateFunc's decision.
type Mutation struct {
	// Put is the new item; it must carry the same key attributes.
	Put item.Item
	// Delete writes a tombstone instead.
	Delete bool
	// Version is the new version (of the item or the tombstone). Required
	// when Put or Delete is set.
	Version []byte
	// Origin is the region that made the change, recorded in the change log.
	Origin string
}

// UpdateFunc decides a write from the current item (nil when absent or
// deleted). It runs with the key locked, so cur cannot change under it; it
// must not call the Store. Returning an error aborts the write and the
// error is returned to the caller unchanged. A zero Mutation writes nothing.
type UpdateFunc func(cur item.Item, meta Meta) (Mutation, error)

// Store is Concord's Pebble store. It is safe for concurrent use.
type Store struct{}

// Open opens or creates the store in dir.
func Open(dir string, opts Options) (*Store, error) { panic("TODO") }

// Close flushes and closes the store. A second call returns ErrClosed.
func (s *Store) Close() error { panic("TODO") }

// CreateTable adds a table and returns it with its ID assigned.
func (s *Store) CreateTable(ctx context.Context, def TableDef) (TableDef, error) { panic("TODO") }

// Table returns the named table.
func (s *Store) Table(name string) (TableDef, error) { panic("TODO") }

// UpdateTableMeta replaces the table's Meta with what fn returns.
func (s *Store) UpdateTableMeta(ctx context.Context, name string, fn func(meta []byte) ([]byte, error)) (TableDef, error) {
	panic("TODO")
}

// DeleteTable removes the table and all its items.
func (s *Store) DeleteTable(ctx context.Context, name string) (TableDef, error) { panic("TODO") }

// ListTables returns up to limit table names greater than after, in order,
// and whether more remain.
func (s *Store) ListTables(after string, limit int) (names []string, more bool, err error) {
	panic("TODO")
}

// Stats returns the table's live figures.
func (s *Store) Stats(name string) (TableStats, error) { panic("TODO") }

// ValidateKey checks that key holds exactly the table's key attributes with
// the right types, non-empty and within DynamoDB's size limits, returning
// an *item.ValidationError with DynamoDB's message otherwise ("The provided
// key element does not match the schema", ...).
func ValidateKey(def TableDef, key item.Item) error { panic("TODO") }

// KeyOf returns the key attributes of it, validated like ValidateKey
// ("One or more parameter values were invalid: Missing the key id in the item").
func KeyOf(def TableDef, it item.Item) (item.Item, error) { panic("TODO") }

// Get returns the live item with the given key, or nil if there is none.
func (s *Store) Get(ctx context.Context, table string, key item.Item) (item.Item, error) {
	panic("TODO")
}

// Update runs fn on the item with the given key under the key's lock and
// durably commits its Mutation (synced, group-committed with concurrent
// writers) together with the change-log record and the table's stats. It
// returns the item as it was before (nil if absent).
func (s *Store) Update(ctx context.Context, table string, key item.Item, fn UpdateFunc) (old item.Item, err error) {
	panic("TODO")
}

// Write is one element of UpdateMany.
type Write struct {
	Table string
	Key   item.Item
	Fn    UpdateFunc
}

// WriteError reports which write of UpdateMany failed.
type WriteError struct {
	Index int
	Err   error
}

func (e *WriteError) Error() string { return e.Err.Error() }
func (e *WriteError) Unwrap() error { return e.Err }

// UpdateMany locks all keys (in a fixed order, so callers cannot deadlock),
// runs every Fn, and commits all mutations in one synced batch, or nothing
// if any Fn fails (the error is a *WriteError). Keys must be distinct.
// olds[i] is write i's previous item.
func (s *Store) UpdateMany(ctx context.Context, writes []Write) (olds []item.Item, err error) {
	panic("TODO")
}

// RangeOp is a condition on the sort key for Query.
type RangeOp uint8

// Sort key conditions.
const (
	RangeAll RangeOp = iota
	RangeEQ
	RangeLT
	RangeLE
	RangeGT
	RangeGE
	RangeBetween
	RangeBeginsWith
)

// Query selects the items of one partition.
type Query struct {
	PartitionKey item.Value
	Op           RangeOp
	// A and B are the operands (B only for RangeBetween).
	A, B item.Value
	// Reverse returns items in descending sort key order.
	Reverse bool
	// ExclusiveStart, if set, is the full primary key of the last item
	// returned before; iteration resumes after it.
	ExclusiveStart item.Item
}

// Query calls fn with each live item of the partition in sort key order
// until fn returns false.
func (s *Store) Query(ctx context.Context, table string, q Query, fn func(it item.Item) bool) error {
	panic("TODO")
}

// Scan selects a segment of a table's items.
type Scan struct {
	// Segment and TotalSegments split the table for parallel scan; zero
	// TotalSegments means the whole table.
	Segment, TotalSegments int
	// ExclusiveStart, if set, is the primary key of the last item returned
	// before; iteration resumes after it.
	ExclusiveStart item.Item
}

// Scan calls fn with each live item of the segment until fn returns false.
// Items come in a stable order (by a hash of the partition key, as in
// DynamoDB), so a scan resumed with ExclusiveStart sees each item once.
func (s *Store) Scan(ctx context.Context, table string, sc Scan, fn func(it item.Item) bool) error {
	panic("TODO")
}

// Change is one record of the change log.
type Change struct {
	// Seq is the record's position in this store's log, from 1, gap-free,
	// in commit order.
	Seq     uint64
	Table   string
	Key     item.Item
	Version []byte
	Origin  string
	// Old is the item before the change (nil if none); New the item after
	// (nil for a delete).
	Old, New item.Item
}

// Changes returns up to limit change-log records with Seq > after.
func (s *Store) Changes(ctx context.Context, after uint64, limit int) ([]Change, error) {
	panic("TODO")
}
