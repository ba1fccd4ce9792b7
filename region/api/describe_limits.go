package api

import "context"

// The capacity limits DescribeLimits reports: DynamoDB's defaults. Concord
// does not enforce capacity; clients that size themselves by these see the
// figures they expect.
const (
	accountMaxCapacityUnits = 80000
	tableMaxCapacityUnits   = 40000
)

type describeLimitsResponse struct {
	AccountMaxReadCapacityUnits  int64 `json:"AccountMaxReadCapacityUnits"`
	AccountMaxWriteCapacityUnits int64 `json:"AccountMaxWriteCapacityUnits"`
	TableMaxReadCapacityUnits    int64 `json:"TableMaxReadCapacityUnits"`
	TableMaxWriteCapacityUnits   int64 `json:"TableMaxWriteCapacityUnits"`
}

func describeLimits(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req struct{}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	return encode(describeLimitsResponse{
		AccountMaxReadCapacityUnits:  accountMaxCapacityUnits,
		AccountMaxWriteCapacityUnits: accountMaxCapacityUnits,
		TableMaxReadCapacityUnits:    tableMaxCapacityUnits,
		TableMaxWriteCapacityUnits:   tableMaxCapacityUnits,
	})
}
