package lint

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
)

// apiImporters are the only non-test files (module-relative) that may
// import region/api: the node's wiring, which constructs and mounts the
// server. Everything else that needs a table rule (the replicator, the
// TTL sweeper, maintenance) uses the table engine, region/table.
var apiImporters = []string{"region/node.go"}

// directImportRules forbid direct imports (standard library included)
// in the packages they name.
var directImportRules = []struct {
	pkgs      []string
	forbidden []string
	why       string
}{
	{
		pkgs:      []string{"region/table/..."},
		forbidden: []string{"net/http"},
		why:       "the table engine has no wire in it: HTTP is region/api's",
	},
}

// TestLayers checks, file by file, who imports the protocol layer, and
// the direct imports directImportRules forbid.
func TestLayers(t *testing.T) {
	pkgs, module := goList(t)
	apiPath := module + "/region/api"
	for _, p := range own(pkgs, module) {
		r, _ := rel(module, p.ImportPath)
		for _, rule := range directImportRules {
			if !matchAny(r, rule.pkgs) {
				continue
			}
			for _, imp := range p.Imports {
				if slices.Contains(rule.forbidden, imp) {
					t.Errorf("%s imports %s: %s", p.ImportPath, imp, rule.why)
				}
			}
		}
		if r == "region/api" || matchAny(r, []string{"region/api/...", "test/..."}) {
			continue
		}
		fset := token.NewFileSet()
		for _, name := range append(slices.Clone(p.GoFiles), p.CgoFiles...) {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.ImportsOnly)
			if err != nil {
				t.Errorf("%s: %v", p.ImportPath, err)
				continue
			}
			file := filepath.ToSlash(filepath.Join(r, name))
			for _, imp := range f.Imports {
				path, _ := strconv.Unquote(imp.Path.Value)
				if path == apiPath && !slices.Contains(apiImporters, file) {
					t.Errorf("%s imports region/api: only %v may (the node's wiring); use the table engine, region/table, for table rules", file, apiImporters)
				}
			}
		}
	}
}
