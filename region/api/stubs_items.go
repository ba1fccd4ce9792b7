package api

import "context"

// Stubs, replaced by one file per operation.

func putItem(ctx context.Context, s *Server, body []byte) ([]byte, error)        { panic("TODO") }
func getItem(ctx context.Context, s *Server, body []byte) ([]byte, error)        { panic("TODO") }
func updateItem(ctx context.Context, s *Server, body []byte) ([]byte, error)     { panic("TODO") }
func deleteItem(ctx context.Context, s *Server, body []byte) ([]byte, error)     { panic("TODO") }
func query(ctx context.Context, s *Server, body []byte) ([]byte, error)          { panic("TODO") }
func scan(ctx context.Context, s *Server, body []byte) ([]byte, error)           { panic("TODO") }
func batchGetItem(ctx context.Context, s *Server, body []byte) ([]byte, error)   { panic("TODO") }
func batchWriteItem(ctx context.Context, s *Server, body []byte) ([]byte, error) { panic("TODO") }
