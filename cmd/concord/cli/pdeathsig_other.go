//go:build !linux

package cli

import "os/exec"

// stopWithParent is a no-op where the kernel has no parent-death signal:
// a launcher killed with SIGKILL leaves its regions running there.
func stopWithParent(*exec.Cmd) {}
