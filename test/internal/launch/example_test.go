package launch_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/concorddb/concord/test/internal/launch"
)

// A test program's main: every node goes on return, panic, SIGINT,
// SIGTERM and launch.Exit.
func Example() {
	ctx, cancel := launch.SignalContext(context.Background())
	defer cancel()
	defer launch.StopAll()
	tmp, err := os.MkdirTemp("", "example-")
	if err != nil {
		launch.Exit(2)
	}
	defer os.RemoveAll(tmp)
	bin, err := launch.Build(ctx, tmp)
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		launch.Exit(2)
	}
	p, err := launch.Start(ctx, bin, launch.Options{
		Region:  "eu-west-1",
		DataDir: filepath.Join(tmp, "eu-west-1"),
		LogPath: filepath.Join(tmp, "eu-west-1.log"),
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		launch.Exit(2)
	}
	fmt.Println(p.URL(), p.NATSURL())
	if err := p.Stop(); err != nil {
		fmt.Fprintln(os.Stderr, err)
		launch.Exit(1)
	}
}
