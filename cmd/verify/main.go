// Command verify checks .ilv concurrency specs: it explores every
// interleaving of their actors and either proves the spec or prints a
// counterexample.
package main

import (
	"os"
	"os/signal"
	"sync/atomic"

	"golang.org/x/term"
)

func main() {
	var stop atomic.Bool
	sig := make(chan os.Signal, 1)
	signal.Notify(sig, os.Interrupt)
	go func() {
		<-sig
		stop.Store(true) // the search stops and reports how far it got
		<-sig
		os.Exit(exitIncomplete) // a second Ctrl-C does not wait
	}()
	os.Exit(runWith(os.Args[1:], os.Stdout, os.Stderr, &stop, term.IsTerminal(int(os.Stderr.Fd()))))
}
