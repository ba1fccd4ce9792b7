package api

import "context"

// Stubs, replaced by one file per operation.

func createTable(ctx context.Context, s *Server, body []byte) ([]byte, error)        { panic("TODO") }
func describeTable(ctx context.Context, s *Server, body []byte) ([]byte, error)      { panic("TODO") }
func listTables(ctx context.Context, s *Server, body []byte) ([]byte, error)         { panic("TODO") }
func deleteTable(ctx context.Context, s *Server, body []byte) ([]byte, error)        { panic("TODO") }
func updateTable(ctx context.Context, s *Server, body []byte) ([]byte, error)        { panic("TODO") }
func tagResource(ctx context.Context, s *Server, body []byte) ([]byte, error)        { panic("TODO") }
func untagResource(ctx context.Context, s *Server, body []byte) ([]byte, error)      { panic("TODO") }
func listTagsOfResource(ctx context.Context, s *Server, body []byte) ([]byte, error) { panic("TODO") }
func describeEndpoints(ctx context.Context, s *Server, body []byte) ([]byte, error)  { panic("TODO") }
func describeLimits(ctx context.Context, s *Server, body []byte) ([]byte, error)     { panic("TODO") }
