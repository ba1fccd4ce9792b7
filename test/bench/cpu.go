package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"time"
)

// clockTick is the unit of utime and stime in /proc/PID/stat: USER_HZ,
// which is 100 on every Linux this runs on.
const clockTick = 10 * time.Millisecond

// groupCPU returns the CPU time (user and system) used so far by the
// processes of process group pgid: a server and any children it forked
// (npx starts node). Processes that already exited are not counted, which
// does not matter for servers that live through the whole run. It returns
// 0 where /proc is missing.
func groupCPU(pgid int) time.Duration {
	if pgid <= 0 {
		return 0
	}
	paths, _ := filepath.Glob("/proc/[0-9]*/stat")
	var ticks int64
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			continue // exited meanwhile
		}
		// The command name, in parentheses, may hold spaces: fields
		// start after the last ')'. Then: state ppid pgrp ... utime
		// (field 14) stime (15), counting from pid = 1.
		i := bytes.LastIndexByte(b, ')')
		if i < 0 {
			continue
		}
		f := bytes.Fields(b[i+1:])
		if len(f) < 13 {
			continue
		}
		if g, _ := strconv.Atoi(string(f[2])); g != pgid {
			continue
		}
		u, _ := strconv.ParseInt(string(f[11]), 10, 64)
		s, _ := strconv.ParseInt(string(f[12]), 10, 64)
		ticks += u + s
	}
	return time.Duration(ticks) * clockTick
}
