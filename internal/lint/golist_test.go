package lint

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"os/exec"
	"slices"
	"strings"
	"sync"
	"testing"
)

// pkg is the part of `go list -json` output the rules read.
type pkg struct {
	ImportPath string
	Name       string
	Dir        string
	Standard   bool
	DepOnly    bool
	GoFiles    []string
	CgoFiles   []string
	Imports    []string
	Deps       []string
	Module     *struct{ Path string }
	Error      *struct{ Err string }
}

var (
	listOnce sync.Once
	listPkgs map[string]*pkg
	listMod  string
	listErr  error
)

// goList returns every package of the module and its dependencies, by
// import path, and the module path. It runs `go list` once per test binary.
func goList(t *testing.T) (pkgs map[string]*pkg, module string) {
	t.Helper()
	listOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m").Output()
		if err != nil {
			listErr = goErr("go list -m", err)
			return
		}
		listMod = strings.TrimSpace(string(out))
		out, err = exec.Command("go", "list", "-e", "-deps", "-json", listMod+"/...").Output()
		if err != nil {
			listErr = goErr("go list -deps", err)
			return
		}
		listPkgs = map[string]*pkg{}
		dec := json.NewDecoder(bytes.NewReader(out))
		for {
			p := new(pkg)
			if err := dec.Decode(p); errors.Is(err, io.EOF) {
				break
			} else if err != nil {
				listErr = err
				return
			}
			listPkgs[p.ImportPath] = p
		}
	})
	if listErr != nil {
		t.Fatal(listErr)
	}
	return listPkgs, listMod
}

func goErr(what string, err error) error {
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return errors.New(what + ": " + err.Error() + ": " + string(ee.Stderr))
	}
	return errors.New(what + ": " + err.Error())
}

// own returns the module's own packages (not dependencies), sorted.
func own(pkgs map[string]*pkg, module string) []*pkg {
	var out []*pkg
	for _, p := range pkgs {
		if !p.DepOnly && p.Module != nil && p.Module.Path == module {
			out = append(out, p)
		}
	}
	sortPkgs(out)
	return out
}

func sortPkgs(ps []*pkg) {
	slices.SortFunc(ps, func(a, b *pkg) int { return strings.Compare(a.ImportPath, b.ImportPath) })
}
