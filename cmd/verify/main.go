// Command verify checks .ilv concurrency specs: it explores every
// interleaving of their actors and either proves the spec or prints a
// counterexample.
package main

import (
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime/debug"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"golang.org/x/term"
)

func main() {
	os.Exit(mainWith(os.Args[1:], os.Stdout, os.Stderr))
}

// graceAfterSecondSignal is how long a second signal waits for the report
// of the first.
const graceAfterSecondSignal = 2 * time.Second

// mainWith is verify as a process: SIGINT or SIGTERM stops the search,
// which then reports how far it got (exit 3). A second signal exits at
// after a short grace, but never while a report is being written.
func mainWith(args []string, stdout, stderr io.Writer) int {
	var stop atomic.Bool
	var out sync.Mutex
	sig := make(chan os.Signal, 2)
	signal.Notify(sig, os.Interrupt, syscall.SIGTERM)
	go func() {
		<-sig
		stop.Store(true)
		<-sig
		// The search stops within moments of the first signal; give the
		// report that time, and never cut one short.
		time.Sleep(graceAfterSecondSignal)
		out.Lock()
		fmt.Fprintln(stderr, "verify: interrupted again: stopping without a report")
		os.Exit(exitIncomplete)
	}()
	if m := usableMemory(); m > 0 {
		// The store is live data; let the collector work harder as the
		// heap nears the machine's memory rather than double it.
		debug.SetMemoryLimit(m / 10 * 9)
	}
	env := runEnv{stop: &stop, out: &out, terminal: term.IsTerminal(int(os.Stderr.Fd()))}
	return runWith(args, stdout, stderr, env)
}
