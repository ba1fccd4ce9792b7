package api

import (
	"log/slog"
	"net/http"

	"github.com/concorddb/concord/conflict/hlc"
	"github.com/concorddb/concord/storage"
)

// Options configures a Server.
type Options struct {
	// Store holds the data. Required.
	Store *storage.Store
	// Clock stamps local writes. Required.
	Clock *hlc.Clock
	// Region is this node's region name, e.g. "us-east-1". Required.
	Region string
	// Endpoint is the address DescribeEndpoints names, e.g.
	// "127.0.0.1:8000". Default: the request's Host header.
	Endpoint string
	// AccountID appears in ARNs; default "000000000000".
	AccountID string
	// Logger; default slog.Default().
	Logger *slog.Logger
	// MaxBodyBytes bounds request bodies (after decompression); default 16 MiB.
	MaxBodyBytes int64
}

// Server is the DynamoDB protocol handler. Mount it as the root handler.
type Server struct {
	opts Options
}

// New returns a Server.
func New(opts Options) *Server { panic("TODO") }

// ServeHTTP answers GET / with a health reply, OPTIONS with CORS, and POST /
// with a DynamoDB operation.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) { panic("TODO") }
