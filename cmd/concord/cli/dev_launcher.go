package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"

	"github.com/concorddb/concord/region"
)

// launcher serves concord dev's own HTTP port:
//
//	GET /admin/status  {"regions":[<each region's /admin/status>...],"converged":bool}
//	GET /admin/endpoints {"regions":[{"region":..,"endpoint":..,"nats":..}...]}
//	GET /dashboard     the live dashboard (region.DashboardHandler) over every region
//	GET /              the same page
type launcher struct {
	regions []*devRegion
	client  *http.Client
}

func (l *launcher) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/status", l.serveStatus)
	mux.HandleFunc("GET /admin/endpoints", l.serveEndpoints)
	dash := region.DashboardHandler()
	mux.Handle("GET "+region.DashboardPath, dash)
	mux.Handle("GET "+region.DashboardPath+"/", dash)
	mux.Handle("GET /{$}", dash)
	return mux
}

// serveEndpoints lists the regions' DynamoDB endpoints (concord load --dev
// reads it).
func (l *launcher) serveEndpoints(w http.ResponseWriter, r *http.Request) {
	var reply devEndpointsReply
	for _, reg := range l.regions {
		ep, nu := reg.urls()
		reply.Regions = append(reply.Regions, devEndpoint{Region: reg.name, Endpoint: ep, NATS: nu})
	}
	body, err := json.Marshal(reply)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(append(body, '\n'))
}

// regionTables is the part of a region's status that convergence reads.
type regionTables struct {
	Tables []struct {
		Name   string `json:"name"`
		Digest string `json:"digest"`
	} `json:"tables"`
}

func (l *launcher) serveStatus(w http.ResponseWriter, r *http.Request) {
	raws := make([]json.RawMessage, len(l.regions))
	parsed := make([]*regionTables, len(l.regions))
	var wg sync.WaitGroup
	for i, reg := range l.regions {
		wg.Add(1)
		go func() { // cli.launcher: one region's status, bounded by the client timeout
			defer wg.Done()
			raw, err := l.fetch(r.Context(), reg)
			if err != nil {
				raws[i], _ = json.Marshal(map[string]string{"region": reg.name, "error": err.Error()})
				return
			}
			var rt regionTables
			if err := json.Unmarshal(raw, &rt); err != nil {
				raws[i], _ = json.Marshal(map[string]string{"region": reg.name, "error": "bad status: " + err.Error()})
				return
			}
			raws[i], parsed[i] = raw, &rt
		}()
	}
	wg.Wait()
	body, err := json.Marshal(struct {
		Regions   []json.RawMessage `json:"regions"`
		Converged bool              `json:"converged"`
	}{raws, converged(parsed)})
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	_, _ = w.Write(append(body, '\n'))
}

// fetch reads one region's GET /admin/status.
func (l *launcher) fetch(ctx context.Context, reg *devRegion) (json.RawMessage, error) {
	ep, _ := reg.urls()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, ep+"/admin/status", nil)
	if err != nil {
		return nil, err
	}
	resp, err := l.client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 8<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("status %d", resp.StatusCode)
	}
	return json.RawMessage(b), nil
}

// converged reports whether every region answered and every table is
// present in every region with equal digests. A nil entry is a region
// that did not answer.
func converged(regions []*regionTables) bool {
	digests := map[string]string{}
	counts := map[string]int{}
	for _, r := range regions {
		if r == nil {
			return false
		}
		for _, t := range r.Tables {
			if d, ok := digests[t.Name]; ok && d != t.Digest {
				return false
			}
			digests[t.Name] = t.Digest
			counts[t.Name]++
		}
	}
	for _, n := range counts {
		if n != len(regions) {
			return false
		}
	}
	return true
}
