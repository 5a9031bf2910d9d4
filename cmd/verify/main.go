// Command verify checks .ilv concurrency specs: it explores every
// interleaving of their actors and either proves the spec or prints a
// counterexample.
package main

import (
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}
