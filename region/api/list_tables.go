package api

import (
	"context"
	"strconv"
)

// ListTables page size limits.
const (
	defaultListTablesLimit = 100
	maxListTablesLimit     = 100
)

type listTablesRequest struct {
	ExclusiveStartTableName *string `json:"ExclusiveStartTableName"`
	Limit                   *int64  `json:"Limit"`
}

type listTablesResponse struct {
	TableNames             []string `json:"TableNames"`
	LastEvaluatedTableName string   `json:"LastEvaluatedTableName,omitempty"`
}

func listTables(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req listTablesRequest
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	var v validationErrors
	checkTableName(&v, "exclusiveStartTableName", req.ExclusiveStartTableName, false)
	limit := int64(defaultListTablesLimit)
	if req.Limit != nil {
		limit = *req.Limit
		switch {
		case limit < 1:
			v.add(quote(strconv.FormatInt(limit, 10)), "limit", "Member must have value greater than or equal to 1")
		case limit > maxListTablesLimit:
			v.add(quote(strconv.FormatInt(limit, 10)), "limit", "Member must have value less than or equal to 100")
		}
	}
	if err := v.err(); err != nil {
		return nil, err
	}
	after := ""
	if req.ExclusiveStartTableName != nil {
		after = *req.ExclusiveStartTableName
	}
	names, more, err := s.store.ListTables(after, int(limit))
	if err != nil {
		return nil, err
	}
	resp := listTablesResponse{TableNames: names}
	if resp.TableNames == nil {
		resp.TableNames = []string{}
	}
	if more && len(names) > 0 {
		resp.LastEvaluatedTableName = names[len(names)-1]
	}
	return encode(resp)
}
