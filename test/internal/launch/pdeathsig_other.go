//go:build !linux

package launch

import "syscall"

// setPdeathsig is a no-op where the kernel has no parent-death signal: a
// test program killed with SIGKILL leaves its servers running there.
func setPdeathsig(*syscall.SysProcAttr) {}
