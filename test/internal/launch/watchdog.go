package launch

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"syscall"
)

// watchdogScript waits for end of file on its stdin, then kills process
// group $1. Its stdin is a pipe whose only writer is this program, which
// never writes: the kernel closes it when the program exits, however it
// exits.
const watchdogScript = `read _; kill -s KILL -- -"$1" 2>/dev/null`

// watchdog kills a process group when the program that started it dies,
// even by SIGKILL. Pdeathsig reaches only the group's leader, and a
// leader such as npx may die of it and leave its children (dynalite's
// node) running; the watchdog takes the whole group.
type watchdog struct {
	cmd *exec.Cmd
	w   *os.File // the write end of its stdin; only this program holds it
}

// watchGroup starts a watchdog for process group pgid.
func watchGroup(pgid int) (*watchdog, error) {
	r, w, err := os.Pipe() // close-on-exec: no other child inherits w
	if err != nil {
		return nil, fmt.Errorf("launch: watchdog: %w", err)
	}
	cmd := exec.Command("/bin/sh", "-c", watchdogScript, "launch-watchdog", strconv.Itoa(pgid))
	cmd.Stdin = r
	// A group of its own: not the one it kills, and not the terminal's,
	// whose ^C must not end it before it has done its work.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		r.Close()
		w.Close()
		return nil, fmt.Errorf("launch: watchdog: %w", err)
	}
	r.Close()
	return &watchdog{cmd: cmd, w: w}, nil
}

// stop ends the watchdog without letting it act, once the group it
// watches is gone.
func (d *watchdog) stop() {
	_ = d.cmd.Process.Kill()
	_ = d.cmd.Wait()
	d.w.Close()
}
