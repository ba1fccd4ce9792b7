package lint

import (
	"slices"
	"strings"
	"testing"
)

// depRule constrains the transitive dependencies of the packages it
// applies to.
type depRule struct {
	// pkgs are module-relative package paths; a trailing "/..." covers the
	// subtree.
	pkgs []string
	// stdlibOnly forbids every non-standard dependency outside the module.
	stdlibOnly bool
	// allowed, if not nil, lists the only module packages (relative) that
	// may be depended on; "/..." patterns as in pkgs.
	allowed []string
	// forbidden lists module packages (relative) that must not be
	// depended on.
	forbidden []string
	why       string
}

// depRules is STYLE.md section 2's dependency direction.
var depRules = []depRule{
	{
		pkgs:       []string{"conflict", "conflict/hlc"},
		stdlibOnly: true,
		allowed:    []string{"conflict/hlc"},
		why:        "conflict is pure: the standard library and conflict/hlc only",
	},
	{
		pkgs:       []string{"storage/item"},
		stdlibOnly: true,
		allowed:    []string{},
		why:        "storage/item is the data model: no third-party code, no project imports",
	},
	{
		pkgs:       []string{"storage/expr"},
		stdlibOnly: true,
		allowed:    []string{"storage/item"},
		why:        "storage/expr parses and evaluates expressions over storage/item only, with no third-party code",
	},
	{
		pkgs:      []string{"storage/..."},
		forbidden: []string{"conflict/...", "streams/...", "replicator/...", "region/...", "cmd/..."},
		why:       "storage sits below conflict, streams, replicator and region: it keeps versions as opaque bytes and never learns what a clock is",
	},
	{
		pkgs:      []string{"streams/..."},
		forbidden: []string{"replicator/...", "region/...", "cmd/..."},
		why:       "imports flow cmd -> region -> replicator -> streams -> {storage, conflict}",
	},
	{
		pkgs:      []string{"replicator/..."},
		forbidden: []string{"region", "region/api/...", "region/regiontest/...", "cmd/..."},
		why:       "imports flow cmd -> region -> replicator -> {region/table, streams} -> {storage, conflict}: the replicator uses the table engine, never the protocol layer",
	},
	{
		pkgs:      []string{"region/table/..."},
		forbidden: []string{"region", "region/api/...", "replicator/...", "streams/...", "cmd/..."},
		why:       "region/table is the table engine: it sits on storage and conflict, and the protocol layer, the replicator and the node sit on it",
	},
	{
		pkgs:      []string{"region/api/..."},
		forbidden: []string{"region", "replicator/...", "cmd/..."},
		why:       "region/api is mounted by region: it may use region/table, storage, conflict and streams only",
	},
}

// regionImporters are the only packages (relative, "/..." patterns) that
// may depend on package region.
var regionImporters = []string{"cmd/...", "test/...", "region/regiontest/..."}

// TestDeps checks the dependency direction with the transitive
// dependencies `go list -deps` reports.
func TestDeps(t *testing.T) {
	pkgs, module := goList(t)
	for _, p := range own(pkgs, module) {
		r, _ := rel(module, p.ImportPath)
		for _, rule := range depRules {
			if !matchAny(r, rule.pkgs) {
				continue
			}
			for _, d := range p.Deps {
				dr, inModule := rel(module, d)
				switch {
				case inModule && rule.allowed != nil && !matchAny(dr, rule.allowed):
					t.Errorf("%s must not depend on %s: %s", p.ImportPath, d, rule.why)
				case inModule && matchAny(dr, rule.forbidden):
					t.Errorf("%s must not depend on %s: %s", p.ImportPath, d, rule.why)
				case !inModule && rule.stdlibOnly && !isStd(pkgs, d):
					t.Errorf("%s must not depend on third-party %s: %s", p.ImportPath, d, rule.why)
				}
			}
		}
		if !matchAny(r, regionImporters) && slices.Contains(p.Deps, module+"/region") {
			t.Errorf("%s must not depend on %s/region: only cmd/ and test/ import region, which builds and owns every component", p.ImportPath, module)
		}
	}
}

// rel returns path relative to module ("." for the module itself) and
// whether it is in the module.
func rel(module, path string) (string, bool) {
	if path == module {
		return ".", true
	}
	return strings.CutPrefix(path, module+"/")
}

// isStd reports whether path is a standard library package.
func isStd(pkgs map[string]*pkg, path string) bool {
	if p, ok := pkgs[path]; ok {
		return p.Standard
	}
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

// matchAny reports whether the relative path r matches a pattern: exact,
// or "x/..." for x and everything under it.
func matchAny(r string, patterns []string) bool {
	for _, pat := range patterns {
		if base, ok := strings.CutSuffix(pat, "/..."); ok {
			if r == base || strings.HasPrefix(r, base+"/") {
				return true
			}
		} else if r == pat {
			return true
		}
	}
	return false
}

func TestLintMatchAny(t *testing.T) {
	cases := []struct {
		r        string
		patterns []string
		want     bool
	}{
		{"storage", []string{"storage/..."}, true},
		{"storage/item", []string{"storage/..."}, true},
		{"storagex", []string{"storage/..."}, false},
		{"region", []string{"region"}, true},
		{"region/api", []string{"region"}, false},
		{"cmd/concord/cli", []string{"cmd/..."}, true},
	}
	for _, c := range cases {
		if got := matchAny(c.r, c.patterns); got != c.want {
			t.Errorf("matchAny(%q, %q) = %v, want %v", c.r, c.patterns, got, c.want)
		}
	}
}
