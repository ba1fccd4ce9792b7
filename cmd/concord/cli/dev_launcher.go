package cli

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sync"
)

// launcher serves concord dev's own HTTP port:
//
//	GET /admin/status  {"regions":[<each region's /admin/status>...],"converged":bool}
//	GET /              a small self-contained page polling it every second
type launcher struct {
	regions []*devRegion
	client  *http.Client
}

func (l *launcher) handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /admin/status", l.serveStatus)
	mux.HandleFunc("GET /{$}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = io.WriteString(w, dashboardHTML)
	})
	return mux
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

// dashboardHTML is the launcher's page: a table x region grid of item
// counts and digests, green when converged. No external assets.
const dashboardHTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>Concord dev</title>
<style>
body{font:14px system-ui,sans-serif;margin:2em;color:#222}
table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:.4em .7em;text-align:left}
code{font-size:12px;color:#555}.ok{background:#d8f5d0}.bad{background:#fbe3c8}.down{background:#f6c6c6}
#state{font-weight:bold;padding:.3em .6em;display:inline-block;margin-bottom:1em}
</style></head><body>
<h1>Concord dev</h1>
<div id="state">loading…</div>
<table id="grid"></table>
<p id="links"></p>
<script>
function esc(s){return String(s).replace(/[&<>"]/g,c=>({'&':'&amp;','<':'&lt;','>':'&gt;','"':'&quot;'}[c]))}
async function tick(){
  let st;
  try{st=await (await fetch('/admin/status',{cache:'no-store'})).json()}catch(e){
    document.getElementById('state').textContent='launcher unreachable';document.getElementById('state').className='down';return}
  const s=document.getElementById('state');
  s.textContent=st.converged?'converged':'not converged';s.className=st.converged?'ok':'bad';
  const names=[...new Set(st.regions.flatMap(r=>(r.tables||[]).map(t=>t.name)))].sort();
  let h='<tr><th>table</th>'+st.regions.map(r=>'<th>'+esc(r.region)+(r.error?' (down)':'')+'</th>').join('')+'</tr>';
  for(const n of names){
    const cells=st.regions.map(r=>(r.tables||[]).find(t=>t.name===n));
    const same=cells.every(c=>c&&c.digest===cells[0].digest);
    h+='<tr class="'+(same?'ok':'bad')+'"><td>'+esc(n)+'</td>'+cells.map(c=>c?'<td>'+c.itemCount+' items<br><code>'+esc(c.digest.slice(0,12))+'</code></td>':'<td>—</td>').join('')+'</tr>';
  }
  document.getElementById('grid').innerHTML=h;
  document.getElementById('links').innerHTML=st.regions.map(r=>esc(r.region)+': nats '+esc(r.nats||'?')+
    ', replication '+(r.replication||[]).map(x=>esc(x.source)+(x.connected?' ✓':' ✗')+' lag '+x.lagMillis.toFixed(1)+'ms').join(', ')).join('<br>');
}
tick();setInterval(tick,1000);
</script></body></html>
`
