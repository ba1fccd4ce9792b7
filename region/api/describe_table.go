package api

import (
	"context"
	"errors"

	"github.com/concorddb/concord/storage"
)

type tableNameRequest struct {
	TableName *string `json:"TableName"`
}

type describeTableResponse struct {
	Table tableDescription `json:"Table"`
}

// lookupTable validates a table name request member and returns the
// table, with DynamoDB's "Requested resource not found: Table: <name> not
// found" for an unknown one (the message DescribeTable, UpdateTable and
// DeleteTable use).
func (s *Server) lookupTable(name *string) (storage.TableDef, error) {
	var v validationErrors
	checkTableRef(&v, "tableName", name)
	if err := v.err(); err != nil {
		return storage.TableDef{}, err
	}
	def, err := s.store.Table(s.tableRef(*name))
	if errors.Is(err, storage.ErrTableNotFound) {
		return def, errTableNotFound(*name)
	}
	return def, err
}

func describeTable(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req tableNameRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	def, err := s.lookupTable(req.TableName)
	if err != nil {
		return nil, err
	}
	d, err := s.describeTableDef(def, statusActive)
	if errors.Is(err, storage.ErrTableNotFound) {
		// Deleted between Table and Stats.
		return nil, errTableNotFound(def.Name)
	}
	if err != nil {
		return nil, err
	}
	return encode(describeTableResponse{Table: d})
}
