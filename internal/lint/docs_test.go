package lint

import (
	"go/parser"
	"go/token"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// TestPackageDocs checks that every package has exactly one package doc
// comment, in doc.go, starting "Package <name>" (or, for a command, any
// sentence). A doc comment elsewhere is either a second doc that go doc
// merges unpredictably, or one separated from its package clause and
// silently dropped (pebble's record package lost 95 lines that way).
func TestPackageDocs(t *testing.T) {
	pkgs, module := goList(t)
	mine := own(pkgs, module)
	if len(mine) == 0 {
		t.Fatalf("go list found no packages in module %s", module)
	}
	for _, p := range mine {
		files := append(slices.Clone(p.GoFiles), p.CgoFiles...)
		if len(files) == 0 {
			continue // test-only package
		}
		var withDoc []string
		fset := token.NewFileSet()
		for _, name := range files {
			f, err := parser.ParseFile(fset, filepath.Join(p.Dir, name), nil, parser.PackageClauseOnly|parser.ParseComments)
			if err != nil {
				t.Errorf("%s: %v", p.ImportPath, err)
				continue
			}
			if f.Doc == nil {
				continue
			}
			withDoc = append(withDoc, name)
			if name == "doc.go" && p.Name != "main" && !strings.HasPrefix(f.Doc.Text(), "Package "+p.Name+" ") {
				t.Errorf("%s: doc.go comment must start %q", p.ImportPath, "Package "+p.Name+" ")
			}
		}
		switch {
		case len(withDoc) == 0:
			t.Errorf("%s: no package doc comment: add doc.go saying what the package owns, what it does not, and who imports it", p.ImportPath)
		case len(withDoc) > 1:
			t.Errorf("%s: package doc comments in %v: keep exactly one, in doc.go", p.ImportPath, withDoc)
		case withDoc[0] != "doc.go":
			t.Errorf("%s: package doc comment is in %s: move it to doc.go", p.ImportPath, withDoc[0])
		}
	}
}
