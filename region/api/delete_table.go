package api

import (
	"context"
	"errors"

	"github.com/concorddb/concord/region/table"
	"github.com/concorddb/concord/storage"
)

func deleteTable(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req tableNameRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	def, err := s.lookupTable(req.TableName)
	if err != nil {
		return nil, err
	}
	// The description shows the figures just before the delete, as
	// DynamoDB's DELETING description does.
	def, stats, err := s.eng.DeleteTable(ctx, def.Name)
	if errors.Is(err, storage.ErrTableNotFound) {
		return nil, errTableNotFound(*req.TableName)
	}
	if err != nil {
		return nil, err
	}
	m, err := table.LoadMeta(def)
	if err != nil {
		return nil, err
	}
	d := s.describe(def, m, statusDeleting, stats, s.now())
	return encode(tableDescriptionResponse{TableDescription: d})
}
