package api

import "context"

// endpointCachePeriod is how long, in minutes, clients may cache the
// endpoint (DynamoDB's value).
const endpointCachePeriod = 1440

type endpoint struct {
	Address              string `json:"Address"`
	CachePeriodInMinutes int64  `json:"CachePeriodInMinutes"`
}

type describeEndpointsResponse struct {
	Endpoints []endpoint `json:"Endpoints"`
}

// describeEndpoints names this node: Options.Endpoint, or the Host the
// request was sent to (ServeHTTP passes it in the context).
func describeEndpoints(ctx context.Context, s *Server, body []byte) ([]byte, error) {
	var req struct{}
	if err := decode(body, &req); err != nil {
		return nil, err
	}
	addr := s.opts.Endpoint
	if addr == "" {
		addr, _ = ctx.Value(hostKey{}).(string)
	}
	return encode(describeEndpointsResponse{Endpoints: []endpoint{{Address: addr, CachePeriodInMinutes: endpointCachePeriod}}})
}
