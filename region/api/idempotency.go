package api

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"sync"
	"time"
)

// ClientRequestToken idempotency for TransactWriteItems.
//
// DynamoDB remembers a token for 10 minutes after the first request that
// used it completed: the same token with the same parameters answers the
// same result without executing again; the same token with different
// parameters fails with IdempotentParameterMismatchException. Concord
// keeps the tokens in memory, per region node:
//
//   - Only successful transactions are remembered. A cancelled or failed
//     one wrote nothing, so a retry with its token simply runs again.
//   - A request whose token is in use by a transaction still running waits
//     for that one to finish, then answers its result (or runs, if it
//     failed). DynamoDB answers TransactionInProgressException instead;
//     waiting gives the client what a retry would.
//   - The memory is bounded (idemMaxEntries): past the bound the oldest
//     tokens leave memory before their 10 minutes are up, and are then
//     answered from the store.
//   - A successful transaction's token is also written to the store, in
//     the same synced commit as the transaction (a local setting,
//     idemSettingPrefix + token: the request hash and the expiry), so a
//     retry after the node restarted, even after a crash between the commit
//     and the answer, is recognised: it answers {} (the response of a
//     TransactWriteItems, without ConsumedCapacity) or, with other
//     parameters, IdempotentParameterMismatchException. The region's
//     maintenance deletes expired records (PurgeIdempotencyTokens).
//   - Tokens belong to one region: a retry sent to another region runs the
//     transaction again there.

// Idempotency limits.
const (
	// idemWindow is how long a token is remembered after its transaction
	// completed.
	idemWindow = 10 * time.Minute
	// idemMaxEntries bounds the remembered tokens (each costs ~200 bytes).
	idemMaxEntries = 1 << 18
	// maxTokenLength is DynamoDB's ClientRequestToken length limit.
	maxTokenLength = 36
)

// idemEntry is one token's state.
type idemEntry struct {
	token string
	hash  [sha256.Size]byte
	// done is closed when the owning request finished; resp and expires
	// are set before (for a success) and read only after.
	done    chan struct{}
	ok      bool
	resp    []byte
	expires time.Time
}

// idemCache maps ClientRequestTokens to their transactions.
type idemCache struct {
	// now is the clock (time.Now); max bounds the entries
	// (idemMaxEntries). Tests set them before first use.
	now func() time.Time
	max int

	// mu protects byToken and order.
	mu      sync.Mutex
	byToken map[string]*idemEntry
	// order holds completed entries oldest first, for expiry and the bound.
	order []*idemEntry
}

// idempotency returns s's token cache, made on first use (tests build
// Servers without New).
func (s *Server) idempotency() *idemCache {
	s.idemOnce.Do(func() { s.idem = newIdemCache() })
	return s.idem
}

// newIdemCache returns an empty cache with the default clock and bound.
func newIdemCache() *idemCache {
	return &idemCache{now: time.Now, max: idemMaxEntries, byToken: map[string]*idemEntry{}}
}

// begin claims token for a request whose parameters hash to hash. It
// returns the remembered response of an earlier success (replay), or
// owner=true when the caller must run the transaction and then call
// finish. A request with the same token and other parameters fails with
// IdempotentParameterMismatchException.
func (c *idemCache) begin(ctx context.Context, token string, hash [sha256.Size]byte) (replay []byte, owner bool, err error) {
	for {
		c.mu.Lock()
		c.expireLocked(c.now())
		e := c.byToken[token]
		if e == nil {
			c.byToken[token] = &idemEntry{token: token, hash: hash, done: make(chan struct{})}
			c.mu.Unlock()
			return nil, true, nil
		}
		c.mu.Unlock()
		if e.hash != hash {
			return nil, false, errIdempotentMismatch()
		}
		select {
		case <-e.done:
		case <-ctx.Done():
			return nil, false, ctx.Err()
		}
		if e.ok {
			return e.resp, false, nil
		}
		// The earlier request failed and released the token: run again.
	}
}

// finish records the owner's outcome: a success is remembered for
// idemWindow; a failure releases the token.
func (c *idemCache) finish(token string, resp []byte, err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.byToken[token]
	if err == nil {
		e.ok, e.resp, e.expires = true, resp, c.now().Add(idemWindow)
		c.order = append(c.order, e)
		for len(c.order) > c.max {
			delete(c.byToken, c.order[0].token)
			c.order[0] = nil
			c.order = c.order[1:]
		}
	} else {
		delete(c.byToken, token)
	}
	close(e.done)
}

// expireLocked forgets completed tokens whose window has passed.
func (c *idemCache) expireLocked(now time.Time) {
	n := 0
	for n < len(c.order) && !now.Before(c.order[n].expires) {
		delete(c.byToken, c.order[n].token)
		c.order[n] = nil
		n++
	}
	if n > 0 {
		c.order = c.order[n:]
	}
}

// idemSettingPrefix names the stored token records (storage settings).
const idemSettingPrefix = "api.idem."

// encodeTokenRecord is a stored token's record: the request hash, then the
// expiry in Unix nanoseconds.
func encodeTokenRecord(hash [sha256.Size]byte, expires time.Time) []byte {
	return binary.BigEndian.AppendUint64(hash[:], uint64(expires.UnixNano()))
}

// decodeTokenRecord parses encodeTokenRecord's output.
func decodeTokenRecord(b []byte) (hash [sha256.Size]byte, expires time.Time, ok bool) {
	if len(b) != sha256.Size+8 {
		return hash, time.Time{}, false
	}
	copy(hash[:], b)
	return hash, time.Unix(0, int64(binary.BigEndian.Uint64(b[sha256.Size:]))), true
}

// durableToken answers a request whose token the store holds from an
// earlier success that memory no longer has: the replay {} for the same
// parameters, IdempotentParameterMismatchException for others; nil, nil
// when the store holds no live record.
func (s *Server) durableToken(token string, hash [sha256.Size]byte) ([]byte, error) {
	rec, err := s.store.Setting(idemSettingPrefix + token)
	if err != nil || rec == nil {
		return nil, err
	}
	h, expires, ok := decodeTokenRecord(rec)
	if !ok || !s.idempotency().now().Before(expires) {
		return nil, nil
	}
	if h != hash {
		return nil, errIdempotentMismatch()
	}
	return []byte("{}"), nil
}

// PurgeIdempotencyTokens deletes the stored token records whose window has
// passed and returns how many it deleted. The region's maintenance calls it.
func (s *Server) PurgeIdempotencyTokens(ctx context.Context) (int, error) {
	now := s.idempotency().now()
	var expired []string
	err := s.store.ScanSettings(idemSettingPrefix, func(name string, v []byte) bool {
		if _, expires, ok := decodeTokenRecord(v); !ok || !now.Before(expires) {
			expired = append(expired, name)
		}
		return len(expired) < 10000
	})
	if err != nil || len(expired) == 0 {
		return 0, err
	}
	if err := s.store.DeleteSettings(ctx, expired); err != nil {
		return 0, err
	}
	return len(expired), nil
}
