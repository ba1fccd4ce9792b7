package cli

import (
	"os/exec"
	"syscall"
)

// stopWithParent asks the kernel to send cmd SIGTERM when the process
// that started it dies, so a launcher killed with SIGKILL (which it cannot
// catch) does not leave its regions running.
func stopWithParent(cmd *exec.Cmd) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Pdeathsig = syscall.SIGTERM
}
