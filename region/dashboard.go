package region

import (
	"embed"
	"io/fs"
	"net/http"
	"strings"
)

// dashboardFiles are the dashboard's page, script and style sheet,
// embedded so the binary needs no other file and no network.
//
//go:embed dashboard/index.html dashboard/app.js dashboard/style.css
var dashboardFiles embed.FS

// DashboardPath is where the dashboard is served; its assets are under
// DashboardPath + "/".
const DashboardPath = "/dashboard"

// DashboardHandler serves the live dashboard: GET /dashboard is the page,
// GET /dashboard/app.js and /dashboard/style.css its assets. The page polls
// GET /admin/status on the same host every second and accepts both a
// node's status (one region) and the concord dev launcher's aggregate
// ({"regions":[...],"converged":bool}), so the node and the launcher serve
// the same handler. Page requests for any other path (such as "/") get the
// page too, so a launcher can mount it at its root.
func DashboardHandler() http.Handler {
	sub, err := fs.Sub(dashboardFiles, "dashboard")
	if err != nil {
		panic(err) // the embedded directory is fixed at build time
	}
	page, err := fs.ReadFile(sub, "index.html")
	if err != nil {
		panic(err)
	}
	assets := http.StripPrefix(DashboardPath+"/", http.FileServerFS(sub))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		w.Header().Set("Cache-Control", "no-cache")
		name, isAsset := strings.CutPrefix(r.URL.Path, DashboardPath+"/")
		if isAsset && name != "" && name != "index.html" {
			assets.ServeHTTP(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		_, _ = w.Write(page)
	})
}

// isDashboardPath reports whether p is the dashboard's page or one of its
// assets.
func isDashboardPath(p string) bool {
	return p == DashboardPath || strings.HasPrefix(p, DashboardPath+"/")
}
