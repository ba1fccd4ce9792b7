package launch

import "syscall"

// setPdeathsig asks the kernel to send the child SIGTERM when the program
// that started it dies, so that a test program killed with SIGKILL (which
// it cannot catch) does not leave its servers running. As
// cmd/concord/cli's stopWithParent.
func setPdeathsig(attr *syscall.SysProcAttr) {
	attr.Pdeathsig = syscall.SIGTERM
}
