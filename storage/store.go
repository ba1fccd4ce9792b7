package storage

import (
	"errors"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/cockroachdb/pebble/v2"
	"github.com/cockroachdb/pebble/v2/bloom"

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
	// CacheSize is Pebble's block cache for sstable blocks, in bytes;
	// default 64 MiB. Pebble charges live memtables to its cache, so the
	// cache Open creates is this plus room for two memtables.
	CacheSize int64
	// MemTableSize is Pebble's memtable size in bytes; default 32 MiB.
	MemTableSize uint64
	// MaxCommitGroup bounds how many queued write requests the committer
	// folds into one synced batch; default 1024.
	MaxCommitGroup int
}

// Defaults for Options.
const (
	DefaultCacheSize      = 64 << 20
	DefaultMaxCommitGroup = 1024
	DefaultMemTableSize   = 32 << 20
)

// EnsureDefaults fills zero fields with their defaults.
func (o *Options) EnsureDefaults() {
	if o.FS == nil {
		o.FS = vfs.Default
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.CacheSize <= 0 {
		o.CacheSize = DefaultCacheSize
	}
	if o.MaxCommitGroup <= 0 {
		o.MaxCommitGroup = DefaultMaxCommitGroup
	}
	if o.MemTableSize == 0 {
		o.MemTableSize = DefaultMemTableSize
	}
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
	// Indexes are the table's secondary indexes (see index.go); their
	// entries are written in the same batch as the item.
	Indexes []IndexDef `json:",omitempty"`
	// CreatedAt is the creation time in Unix nanoseconds, set by the caller.
	CreatedAt int64
	// Origin is the region whose CreateTable made the table; it is recorded
	// in the change log so that only the origin publishes the definition.
	Origin string `json:",omitempty"`
	// Replicas are the regions that hold the table (a global table's replica
	// set). Empty means every region of the deployment. The store keeps it
	// for the replicator; it does not act on it.
	Replicas []string `json:",omitempty"`
	// BackfillFrom names the regions this replica is still copying the
	// table's existing items from, separated by commas ("" when complete;
	// see BackfillSources). Local to each store.
	BackfillFrom string `json:",omitempty"`
	// Incarnation identifies this table among every table of its name, in
	// every region: the table engine sets it to the version of the
	// CreateTable. Opaque to the store, which records it in every change
	// of the table's items; nil for tables created before incarnations.
	Incarnation []byte `json:",omitempty"`
	// Meta is opaque to the store: region/api keeps its description of the
	// table (attribute definitions, billing mode, throughput, tags, ...)
	// here, and the store persists it verbatim.
	Meta []byte
}

// BackfillSources returns the regions def.BackfillFrom names.
func (def TableDef) BackfillSources() []string {
	if def.BackfillFrom == "" {
		return nil
	}
	return strings.Split(def.BackfillFrom, ",")
}

// SetBackfillSources sets def.BackfillFrom to name regions (sorted, once
// each).
func (def *TableDef) SetBackfillSources(regions []string) {
	rs := slices.Clone(regions)
	slices.Sort(rs)
	def.BackfillFrom = strings.Join(slices.Compact(rs), ",")
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
	// Trace is the request's trace context (opaque here: region keeps a
	// W3C traceparent), recorded in the change log so that replicas can
	// continue the write's trace. Optional.
	Trace []byte
	// Cause is why the change was made (CauseTTL for expiry); recorded in
	// the change log.
	Cause Cause
}

// Cause says why a change was made, when not by a client request.
type Cause uint8

// Causes of a change.
const (
	// CauseRequest is an ordinary write (the zero value).
	CauseRequest Cause = iota
	// CauseTTL is a deletion by the time-to-live sweeper; DynamoDB Streams
	// records of it carry the service's userIdentity.
	CauseTTL
)

// UpdateFunc decides a write from the current item (nil when absent or
// deleted). It runs with the key locked, so cur cannot change under it; it
// must not call the Store. Returning an error aborts the write and the
// error is returned to the caller unchanged. A zero Mutation writes nothing.
type UpdateFunc func(cur item.Item, meta Meta) (Mutation, error)

// Store is Concord's Pebble store. It is safe for concurrent use.
type Store struct {
	db   *pebble.DB
	log  *slog.Logger
	opts Options

	// locks are the striped per-key write locks (see locks.go).
	locks lockTable

	// reqs carries write and DDL requests to the committer. It is
	// unbuffered: a request handed over is always answered, and a sender
	// that cannot hand over before closing is closed fails with ErrClosed.
	reqs          chan *commitReq
	closing       chan struct{}
	committerDone chan struct{}
	closeOnce     atomic.Bool

	// lifeMu is held shared by every call that touches db and exclusively
	// by Close once the committer has stopped, so db is never used after
	// it is closed.
	lifeMu sync.RWMutex
	closed bool // guarded by lifeMu

	// ddlMu serializes CreateTable, UpdateTableMeta and DeleteTable so that
	// UpdateTableMeta's read-modify-write sees no concurrent change.
	ddlMu sync.Mutex

	// cat is the catalog cache. Only the committer writes it (after the
	// change is durable); everyone reads it under RLock.
	cat struct {
		sync.RWMutex
		byName map[string]TableDef
		byID   map[uint64]string
	}

	// stats holds each table's live figures. Only the committer writes it
	// (after the batch carrying the new figures is durable).
	stats struct {
		sync.Mutex
		byID map[uint64]TableStats
	}

	// meta is owned by the committer goroutine (read by Open before it
	// starts).
	meta metaRecord
	// lastSeq mirrors meta.lastSeq for readers; set after each commit.
	lastSeq atomic.Uint64
	// indexBG counts running index backfills (index_backfill.go); Close
	// waits for them.
	indexBG sync.WaitGroup

	// committed is closed and replaced after each commit that adds
	// change-log records; WaitChanges waits on it.
	committed atomic.Pointer[chan struct{}]
	// tail holds the newest change-log records (changetail.go).
	tail *changeTail
}

// Open opens or creates the store in dir.
func Open(dir string, opts Options) (*Store, error) {
	opts.EnsureDefaults()
	// Pebble reserves each live memtable's size in the block cache (the
	// mutable one and one being flushed, usually): without room for them a
	// 64 MiB cache under two 32 MiB memtables held no block at all
	// (measured: a 0% hit rate, every Get read its blocks from disk).
	cache := pebble.NewCache(opts.CacheSize + 2*int64(opts.MemTableSize))
	defer cache.Unref()
	popts := &pebble.Options{
		FS:                 opts.FS,
		Cache:              cache,
		Logger:             pebbleLogger{opts.Logger},
		FormatMajorVersion: pebble.FormatNewest,
		// Every write also appends a change-log record that lives for the
		// retention window: a larger memtable flushes less often and so
		// spends less CPU on compactions (measured: a third of a
		// replicating region's CPU went to compactions with the 4 MiB
		// default).
		MemTableSize: opts.MemTableSize,
	}
	// Every write first reads the item's current version (Get), and most
	// new items are in no sstable: without a filter each such Get reads an
	// index and a data block of every level it might be in (measured: 12%
	// of a writing region's CPU and a quarter of a replicating one's went
	// to those reads). Ten bits per key is RocksDB's and CockroachDB's
	// choice: about 1% false positives.
	for i := range popts.Levels {
		popts.Levels[i].FilterPolicy = bloom.FilterPolicy(10)
	}
	db, err := pebble.Open(dir, popts)
	if err != nil {
		return nil, fmt.Errorf("storage: open %q: %w", dir, err)
	}
	s := &Store{
		db:            db,
		log:           opts.Logger,
		opts:          opts,
		reqs:          make(chan *commitReq),
		closing:       make(chan struct{}),
		committerDone: make(chan struct{}),
		tail:          newChangeTail(),
	}
	first := make(chan struct{})
	s.committed.Store(&first)
	if err := s.load(); err != nil {
		_ = db.Close()
		return nil, err
	}
	go s.runCommitter()
	s.resumeBackfills() // index_backfill.go
	return s, nil
}

// Close stops the committer (queued writes that were not yet taken fail
// with ErrClosed; a group already being committed completes), waits for
// in-flight calls and closes Pebble. A second call returns ErrClosed.
func (s *Store) Close() error {
	if !s.closeOnce.CompareAndSwap(false, true) {
		return ErrClosed
	}
	close(s.closing)
	<-s.committerDone
	s.indexBG.Wait()
	s.lifeMu.Lock()
	defer s.lifeMu.Unlock()
	s.closed = true
	return s.db.Close()
}

// enter marks the start of a call that uses db; it fails once the store is
// closed. The caller must call s.lifeMu.RUnlock when done.
func (s *Store) enter() error {
	s.lifeMu.RLock()
	if s.closed {
		s.lifeMu.RUnlock()
		return ErrClosed
	}
	return nil
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

// Error returns the failed write's error message.
func (e *WriteError) Error() string { return e.Err.Error() }

// Unwrap returns the failed write's error.
func (e *WriteError) Unwrap() error { return e.Err }

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

// Scan selects a segment of a table's items.
type Scan struct {
	// Segment and TotalSegments split the table for parallel scan; zero
	// TotalSegments means the whole table.
	Segment, TotalSegments int
	// ExclusiveStart, if set, is the primary key of the last item returned
	// before; iteration resumes after it.
	ExclusiveStart item.Item
}

// ChangeKind says what a change-log record changes.
type ChangeKind uint8

// Kinds of change-log record.
const (
	// ChangeItem is a put or delete of one item.
	ChangeItem ChangeKind = iota
	// ChangeTableCreate records a CreateTable; Def holds the definition.
	ChangeTableCreate
	// ChangeTableDelete records a DeleteTable; Def holds the definition as
	// it was.
	ChangeTableDelete
	// ChangeTableUpdate records UpdateTableFrom; Def holds the new definition.
	ChangeTableUpdate
)

// Change is one record of the change log.
type Change struct {
	// Kind is ChangeItem for item changes (the zero value).
	Kind ChangeKind
	// Def is the table definition for ChangeTableCreate and ChangeTableDelete.
	Def *TableDef
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
	// Group is the Seq of the first record of the commit this change was
	// part of, and GroupSize the number of records in it: an UpdateMany
	// (a batch write or a transaction) is one group, applied together or
	// not at all; a single write is a group of one.
	Group     uint64
	GroupSize int
	// Trace is the Mutation's Trace (nil if it had none).
	Trace []byte
	// Cause is the Mutation's Cause.
	Cause Cause
	// Incarnation is the table's TableDef.Incarnation when the change was
	// made (item changes; nil for tables without one).
	Incarnation []byte
}
