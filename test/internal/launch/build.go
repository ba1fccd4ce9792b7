package launch

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// Build compiles ./cmd/concord of the module that holds the working
// directory into dir/concord and returns that path. Each call builds (the
// go command's cache makes a second build quick); a program builds once
// and starts every node from the result.
func Build(ctx context.Context, dir string) (bin string, err error) {
	root, err := ModuleRoot(ctx)
	if err != nil {
		return "", err
	}
	bin = filepath.Join(dir, "concord")
	cmd := exec.CommandContext(ctx, "go", "build", "-o", bin, "./cmd/concord")
	cmd.Dir = root
	if out, err := cmd.CombinedOutput(); err != nil {
		return "", fmt.Errorf("launch: go build ./cmd/concord: %w\n%s", err, out)
	}
	return bin, nil
}

// ModuleRoot returns the directory of the go.mod that holds the working
// directory (`go env GOMOD`).
func ModuleRoot(ctx context.Context) (string, error) {
	out, err := exec.CommandContext(ctx, "go", "env", "GOMOD").Output()
	if err != nil {
		return "", fmt.Errorf("launch: go env GOMOD: %w", err)
	}
	gomod := strings.TrimSpace(string(out))
	if gomod == "" || gomod == os.DevNull {
		return "", fmt.Errorf("launch: not inside the concord module: run from its tree")
	}
	return filepath.Dir(gomod), nil
}
