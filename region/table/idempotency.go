package table

import (
	"context"
	"crypto/sha256"
	"encoding/binary"
	"time"

	"github.com/concorddb/concord/storage"
)

// Idempotency tokens (TransactWriteItems' ClientRequestToken). DynamoDB
// remembers a token for IdemWindow after the first request that used it
// completed. The protocol layer keeps the recent tokens, with their
// answers, in memory; the engine keeps, for each successful transaction,
// a durable record of its token (the request's hash and the expiry),
// written in the same synced commit as the transaction (TokenRecord, as a
// setting passed to Transact), so a retry after a restart, even after a
// crash between the commit and the answer, is recognised (Token). The
// region's maintenance deletes expired records (PurgeIdempotencyTokens).
// Tokens belong to one region.

// IdemWindow is how long a token is remembered after its transaction
// completed.
const IdemWindow = 10 * time.Minute

// idemSettingPrefix names the stored token records (storage settings).
// The "api." prefix is historical; stores on disk use it.
const idemSettingPrefix = "api.idem."

// TokenRecord is the setting that records token for a transaction whose
// request hashes to hash, completed at now.
func TokenRecord(token string, hash [sha256.Size]byte, now time.Time) storage.SettingWrite {
	return storage.SettingWrite{Name: idemSettingPrefix + token,
		Value: binary.BigEndian.AppendUint64(hash[:], uint64(now.Add(IdemWindow).UnixNano()))}
}

// decodeTokenRecord parses a TokenRecord's value.
func decodeTokenRecord(b []byte) (hash [sha256.Size]byte, expires time.Time, ok bool) {
	if len(b) != sha256.Size+8 {
		return hash, time.Time{}, false
	}
	copy(hash[:], b)
	return hash, time.Unix(0, int64(binary.BigEndian.Uint64(b[sha256.Size:]))), true
}

// Token returns the request hash of token's durable record, if the store
// holds one that is live at now.
func (e *Engine) Token(token string, now time.Time) (hash [sha256.Size]byte, ok bool, err error) {
	rec, err := e.opts.Store.Setting(idemSettingPrefix + token)
	if err != nil || rec == nil {
		return hash, false, err
	}
	h, expires, ok := decodeTokenRecord(rec)
	if !ok || !now.Before(expires) {
		return hash, false, nil
	}
	return h, true, nil
}

// PurgeIdempotencyTokens deletes the token records whose window has passed
// at now and returns how many it deleted. The region's maintenance calls
// it.
func (e *Engine) PurgeIdempotencyTokens(ctx context.Context, now time.Time) (int, error) {
	var expired []string
	err := e.opts.Store.ScanSettings(idemSettingPrefix, func(name string, v []byte) bool {
		if _, expires, ok := decodeTokenRecord(v); !ok || !now.Before(expires) {
			expired = append(expired, name)
		}
		return len(expired) < 10000
	})
	if err != nil || len(expired) == 0 {
		return 0, err
	}
	if err := e.opts.Store.DeleteSettings(ctx, expired); err != nil {
		return 0, err
	}
	return len(expired), nil
}
