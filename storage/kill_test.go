package storage

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/concorddb/concord/storage/item"
)

// killChildEnv names the directory the kill test's child writes to.
const killChildEnv = "CONCORD_STORAGE_KILL_CHILD_DIR"

// TestMain runs the child half of TestStoreKillAcknowledgedDurable when
// the parent started this test binary with killChildEnv set, and the tests
// otherwise.
func TestMain(m *testing.M) {
	if dir := os.Getenv(killChildEnv); dir != "" {
		killChild(dir) // never returns: the parent kills the process
	}
	os.Exit(m.Run())
}

// killChild writes keys from several goroutines into a store in dir and
// prints each one only after Update returned.
func killChild(dir string) {
	fail := func(err error) {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(2)
	}
	s, err := Open(dir, Options{Logger: quietLogger})
	if err != nil {
		fail(err)
	}
	if _, err := s.CreateTable(context.Background(), TableDef{Name: "t", PartitionKey: KeyAttr{Name: "pk", Type: item.TypeS}}); err != nil {
		fail(err)
	}
	fmt.Println("ready")
	var mu sync.Mutex
	out := bufio.NewWriter(os.Stdout)
	var wg sync.WaitGroup
	for w := range 8 {
		wg.Go(func() {
			for i := 0; ; i++ {
				k := fmt.Sprintf("w%d-%d", w, i)
				it := item.Item{"pk": item.Str(k)}
				if _, err := s.Update(context.Background(), "t", it, putFn(it)); err != nil {
					fail(err)
				}
				mu.Lock()
				fmt.Fprintln(out, k)
				out.Flush()
				mu.Unlock()
			}
		})
	}
	wg.Wait() // never returns: the parent kills us
}

// TestStoreKillAcknowledgedDurable kills a writing process with SIGKILL
// and checks that every write it acknowledged survived.
func TestStoreKillAcknowledgedDurable(t *testing.T) {
	dir := t.TempDir()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	cmd.Env = append(os.Environ(), killChildEnv+"="+dir)
	cmd.Stderr = os.Stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	killed := false
	defer func() {
		if !killed {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	}()
	sc := bufio.NewScanner(stdout)
	var acked []string
	deadline := time.Now().Add(60 * time.Second)
	for sc.Scan() {
		line := sc.Text()
		if line == "ready" {
			continue
		}
		acked = append(acked, line)
		if len(acked) >= 400 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("only %d acks before the deadline", len(acked))
		}
	}
	if len(acked) < 400 {
		t.Fatalf("child stopped after %d acks: %v", len(acked), sc.Err())
	}
	if err := cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	killed = true
	_ = cmd.Wait()

	s, err := Open(dir, Options{Logger: quietLogger})
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for _, k := range acked {
		if it := get(t, s, "t", item.Item{"pk": item.Str(k)}); it == nil {
			t.Fatalf("acknowledged key %s lost after SIGKILL", k)
		}
	}
	st, _ := s.Stats("t")
	if st.ItemCount < int64(len(acked)) || s.LastSeq() != uint64(st.ItemCount)+1 { // +1: the CreateTable record
		t.Fatalf("stats %+v, last seq %d, %d acked", st, s.LastSeq(), len(acked))
	}
	t.Logf("%d acknowledged keys survived; store holds %d", len(acked), st.ItemCount)
}
