package api

import (
	"bytes"
	"compress/gzip"
	"compress/zlib"
	"context"
	"crypto/sha256"
	"errors"
	"hash/crc32"
	"io"
	"log/slog"
	"math/rand/v2"
	"net/http"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
)

// Defaults for Options.
const (
	// DefaultMaxBodyBytes is DynamoDB's request size limit, 16 MiB.
	DefaultMaxBodyBytes = 16 << 20
	// DefaultAccountID is the account ARNs name when Options.AccountID is empty.
	DefaultAccountID = "000000000000"
)

// Options configures a Server.
type Options struct {
	// Engine is the region's table engine: the store, the clock that
	// stamps local writes and the region's name come from it. Required.
	Engine *table.Engine
	// Endpoint is the address DescribeEndpoints names, e.g.
	// "127.0.0.1:8000". Default: the request's Host header.
	Endpoint string
	// AccountID appears in ARNs; default "000000000000".
	AccountID string
	// Logger; default slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (after decompression); default 16 MiB.
	MaxBodyBytes int64
	// Credentials maps access key IDs to their secret keys. When set,
	// every request must carry a valid AWS Signature Version 4 made with
	// one of them (auth.go); when nil, any request is accepted, as by
	// DynamoDB Local.
	Credentials map[string]string
}

// EnsureDefaults fills zero fields with their defaults.
func (o *Options) EnsureDefaults() {
	if o.AccountID == "" {
		o.AccountID = DefaultAccountID
	}
	if o.Logger == nil {
		o.Logger = slog.Default()
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
}

// Server is the DynamoDB protocol handler. Mount it as the root handler.
// It is safe for concurrent use.
type Server struct {
	opts Options
	// eng is opts.Engine; store and region are its store and region.
	eng    *table.Engine
	store  *storage.Store
	region string
	// healthBody is the precomputed GET / reply.
	healthBody []byte
	// idem is the ClientRequestToken cache of TransactWriteItems
	// (idempotency.go), made once on first use.
	idemOnce sync.Once
	idem     *idemCache
}

// New returns a Server. Zero Options fields take their defaults; Engine
// is required (an Engine without a Store still answers health checks and
// protocol errors).
func New(opts Options) *Server {
	opts.EnsureDefaults()
	s := &Server{opts: opts, eng: opts.Engine, store: opts.Engine.Store(), region: opts.Engine.Region()}
	s.healthBody = []byte(`{"status":"ok","region":` + string(appendJSONString(nil, s.region)) + `}`)
	return s
}

// logger returns the server's logger (tests may build a Server without New).
func (s *Server) logger() *slog.Logger {
	if s.opts.Logger == nil {
		return slog.Default()
	}
	return s.opts.Logger
}

// streamsTargetPrefix is the X-Amz-Target prefix of DynamoDB Streams
// operations (streams_api.go), served on the same endpoint.
const streamsTargetPrefix = "DynamoDBStreams_20120810."

// Header values shared by every response. net/http only reads them, so one
// slice serves all responses without allocating.
var (
	hdrJSON        = []string{"application/x-amz-json-1.0"}
	hdrServer      = []string{"Server"}
	hdrStar        = []string{"*"}
	hdrExpose      = []string{"x-amzn-RequestId, x-amzn-ErrorType, x-amz-crc32, Date, x-concord-version"}
	hdrMethods     = []string{"GET, POST, OPTIONS"}
	hdrAllowHeader = []string{"Content-Type, Content-Encoding, Authorization, X-Amz-Target, X-Amz-Date, X-Amz-Security-Token, X-Amz-User-Agent, amz-sdk-invocation-id, amz-sdk-request"}
	hdrMaxAge      = []string{"172800"}
	hdrTextJSON    = []string{"application/json"}
)

// Canonical header keys, written straight into the header map.
const (
	keyContentType   = "Content-Type"
	keyContentLength = "Content-Length"
	keyRequestID     = "X-Amzn-Requestid"
	keyCRC32         = "X-Amz-Crc32"
	keyServer        = "Server"
	keyACAO          = "Access-Control-Allow-Origin"
	keyACEH          = "Access-Control-Expose-Headers"
	keyErrorType     = "X-Amzn-Errortype"
)

// ServeHTTP answers GET / with a health reply, OPTIONS with CORS, and POST /
// with a DynamoDB operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h[keyACAO] = hdrStar
	h[keyACEH] = hdrExpose
	h[keyServer] = hdrServer
	switch r.Method {
	case http.MethodPost:
		s.serveOperation(w, r)
	case http.MethodGet, http.MethodHead:
		h[keyContentType] = hdrTextJSON
		h[keyContentLength] = []string{strconv.Itoa(len(s.healthBody))}
		w.WriteHeader(http.StatusOK)
		if r.Method == http.MethodGet {
			_, _ = w.Write(s.healthBody)
		}
	case http.MethodOptions:
		s.servePreflight(w, r)
	default:
		h["Allow"] = []string{"GET, HEAD, POST, OPTIONS"}
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
	}
}

// servePreflight answers a CORS preflight request.
func (s *Server) servePreflight(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h["Access-Control-Allow-Methods"] = hdrMethods
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		h["Access-Control-Allow-Headers"] = []string{req}
	} else {
		h["Access-Control-Allow-Headers"] = hdrAllowHeader
	}
	h["Access-Control-Max-Age"] = hdrMaxAge
	h[keyContentLength] = []string{"0"}
	w.WriteHeader(http.StatusOK)
}

// serveOperation reads, dispatches and answers one DynamoDB request.
func (s *Server) serveOperation(w http.ResponseWriter, r *http.Request) {
	var raw *hashingReader
	if s.opts.Credentials != nil {
		raw = &hashingReader{r: r.Body, h: sha256.New()}
		r.Body = struct {
			io.Reader
			io.Closer
		}{raw, r.Body}
	}
	buf := getBuffer()
	defer putBuffer(buf)
	body, err := s.readBody(r, buf)
	if err != nil {
		s.writeError(w, err, nil)
		return
	}
	if raw != nil {
		// The signature covers the body as sent: hash what a decompressor
		// left unread too.
		_, _ = io.Copy(io.Discard, io.LimitReader(raw, s.opts.MaxBodyBytes))
		if err := s.authenticate(r, raw.h.Sum(nil), time.Now()); err != nil {
			s.writeError(w, err, nil)
			return
		}
	}

	target := r.Header.Get("X-Amz-Target")
	var fn handler
	op, ok := strings.CutPrefix(target, targetPrefix)
	if ok {
		fn = operations[op]
	} else if op, ok = strings.CutPrefix(target, streamsTargetPrefix); ok {
		fn = streamsOperations[op]
	}
	if fn == nil {
		s.writeError(w, errUnknownOperation(), nil)
		return
	}
	if !isJSONObject(body) {
		s.writeError(w, errSerialization("Request body must be a JSON object"), nil)
		return
	}

	ctx := r.Context()
	info := table.RequestOf(ctx)
	if info == nil { // no telemetry middleware in front (tests)
		info = &table.Request{}
		ctx = table.WithRequest(ctx, info)
	}
	info.Table = tableNameOf(body)
	if op == "DescribeEndpoints" && s.opts.Endpoint == "" {
		ctx = context.WithValue(ctx, hostKey{}, r.Host)
	}
	resp, err := s.call(ctx, fn, op, body)
	if err != nil {
		s.writeError(w, err, slog.String("op", op))
		return
	}
	if resp == nil {
		resp = emptyObject
	}
	if info.Versioned && versionOps[op] {
		w.Header()[keyVersion] = []string{info.Version.String()}
	}
	s.write(w, http.StatusOK, resp)
}

// tableNameOf finds a request's top-level "TableName" string without
// decoding the body: the first occurrence of the key that is followed by
// a colon and a string made only of the characters DynamoDB allows in
// table names. Anything else gives "".
func tableNameOf(body []byte) string {
	const key = `"TableName"`
	for off := 0; ; {
		i := bytes.Index(body[off:], []byte(key))
		if i < 0 {
			return ""
		}
		i += off
		off = i + len(key)
		if i > 0 && body[i-1] == '\\' {
			continue // inside a string value
		}
		j := off
		for j < len(body) && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r' || body[j] == '\n') {
			j++
		}
		if j >= len(body) || body[j] != ':' {
			continue // an attribute value, not a key
		}
		j++
		for j < len(body) && (body[j] == ' ' || body[j] == '\t' || body[j] == '\r' || body[j] == '\n') {
			j++
		}
		if j >= len(body) || body[j] != '"' {
			continue // e.g. an attribute named TableName: {"S": ...}
		}
		start := j + 1
		for k := start; k < len(body) && k-start <= 255; k++ {
			switch c := body[k]; {
			case c == '"':
				if k == start {
					return ""
				}
				return string(body[start:k])
			case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '_', c == '-', c == '.':
			default:
				return ""
			}
		}
		return ""
	}
}

// emptyObject is the response body of a handler that returns nil.
var emptyObject = []byte("{}")

// hostKey carries the request Host to DescribeEndpoints.
type hostKey struct{}

// call runs fn, turning a panic into an internal error so that one bad
// request never takes the node down.
func (s *Server) call(ctx context.Context, fn handler, op string, body []byte) (resp []byte, err error) {
	defer func() {
		if p := recover(); p != nil {
			s.logger().Error("api: handler panicked", "op", op, "panic", p, "stack", string(debug.Stack()))
			resp, err = nil, errInternal(nil)
		}
	}()
	return fn(ctx, s, body)
}

// readBody reads the request body into buf, decompressing it when
// Content-Encoding asks, and enforces MaxBodyBytes on the decompressed size.
func (s *Server) readBody(r *http.Request, buf *bytes.Buffer) ([]byte, error) {
	limit := s.opts.MaxBodyBytes
	var src io.Reader = r.Body
	switch enc := strings.ToLower(strings.TrimSpace(r.Header.Get("Content-Encoding"))); enc {
	case "", "identity":
		if r.ContentLength > limit {
			return nil, errRequestTooLarge(limit)
		}
		if r.ContentLength > 0 {
			buf.Grow(int(r.ContentLength))
		}
	case "gzip", "x-gzip":
		zr, err := gzip.NewReader(r.Body)
		if err != nil {
			return nil, errSerialization("Request body is not valid gzip: %v", err)
		}
		defer zr.Close()
		src = zr
	case "deflate":
		zr, err := zlib.NewReader(r.Body)
		if err != nil {
			return nil, errSerialization("Request body is not valid deflate (zlib) data: %v", err)
		}
		defer zr.Close()
		src = zr
	default:
		return nil, errSerialization("Unsupported Content-Encoding %q: use gzip, deflate or none", enc)
	}
	n, err := buf.ReadFrom(io.LimitReader(src, limit+1))
	if n > limit {
		return nil, errRequestTooLarge(limit)
	}
	if err != nil {
		var mbe *http.MaxBytesError
		if errors.As(err, &mbe) {
			return nil, errRequestTooLarge(limit)
		}
		// A truncated or corrupt compressed stream, or a client that
		// hung up: either way the request cannot be parsed.
		return nil, errSerialization("Request body could not be read: %v", err)
	}
	return buf.Bytes(), nil
}

// isJSONObject reports whether body, after leading white space, starts a
// JSON object. It rejects empty bodies, null, arrays and scalars, which
// would otherwise decode into a zero request; malformed objects are caught
// by decode.
func isJSONObject(body []byte) bool {
	for _, c := range body {
		switch c {
		case ' ', '\t', '\r', '\n':
			continue
		case '{':
			return true
		}
		return false
	}
	return false
}

// write sends a response body with DynamoDB's headers.
func (s *Server) write(w http.ResponseWriter, status int, body []byte) {
	h := w.Header()
	h[keyContentType] = hdrJSON
	// One backing array for the three per-response values: the hot path
	// allocates once here instead of three times.
	vals := make([]string, 3)
	vals[0] = newRequestID()
	vals[1] = strconv.FormatUint(uint64(crc32.ChecksumIEEE(body)), 10)
	vals[2] = strconv.Itoa(len(body))
	h[keyRequestID] = vals[0:1:1]
	h[keyCRC32] = vals[1:2:2]
	h[keyContentLength] = vals[2:3:3]
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError maps err to the catalogue and sends it. Internal errors are
// logged with attr (the operation) and answered as InternalServerError.
func (s *Server) writeError(w http.ResponseWriter, err error, attr any) {
	ae := toAPIError(err)
	if ae.Type == typeInternal {
		args := []any{"err", err}
		if attr != nil {
			args = append(args, attr)
		}
		s.logger().Error("api: internal error", args...)
	}
	w.Header()[keyErrorType] = []string{ae.Type}
	s.write(w, ae.Status, ae.body())
}

// requestIDAlphabet is the character set of DynamoDB request ids.
const requestIDAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

// newRequestID returns a random 52-character uppercase alphanumeric id,
// the shape of DynamoDB's x-amzn-RequestId.
func newRequestID() string {
	var b [52]byte
	var x uint64
	for i := range b {
		if i%12 == 0 { // 36^12 < 2^64: twelve digits per random word
			x = rand.Uint64()
		}
		b[i] = requestIDAlphabet[x%36]
		x /= 36
	}
	return string(b[:])
}

// maxPooledBuffer is the largest buffer returned to the pool; bigger ones
// (rare, large batch requests) are left to the garbage collector so the
// pool does not pin memory.
const maxPooledBuffer = 1 << 20

var bufferPool = sync.Pool{New: func() any { return new(bytes.Buffer) }}

func getBuffer() *bytes.Buffer { return bufferPool.Get().(*bytes.Buffer) }

func putBuffer(b *bytes.Buffer) {
	if b.Cap() > maxPooledBuffer {
		return
	}
	b.Reset()
	bufferPool.Put(b)
}
