package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	flag "github.com/spf13/pflag"

	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
)

// version is the release of verify; set by the build for releases.
var version = "0.1.0-dev"

// Exit codes.
const (
	exitOK         = 0
	exitViolation  = 1
	exitUsage      = 2
	exitIncomplete = 3
)

type config struct {
	check   bool
	lowered bool
	set     map[string]string
	quiet   bool
	version bool
}

const usage = `usage: verify [flags] FILE...

verify explores every interleaving of the actors of each .ilv spec and
either proves it or prints a counterexample.

Exit codes: 0 verified, 1 violation, 2 usage or spec error, 3 incomplete.

Flags:
`

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	var cfg config
	var sets []string
	var help bool
	fs.BoolVar(&cfg.check, "check", false, "parse and check the specs only")
	fs.BoolVar(&cfg.lowered, "lowered", false, "print the lowered program (state layout and instructions) and exit")
	fs.StringArrayVar(&sets, "set", nil, "override a constant: `NAME=VALUE` (repeatable)")
	fs.BoolVarP(&cfg.quiet, "quiet", "q", false, "print only violations and errors")
	fs.BoolVar(&cfg.version, "version", false, "print the version and exit")
	fs.BoolVarP(&help, "help", "h", false, "show this help")
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		fmt.Fprintf(stderr, "Run 'verify --help' for usage.\n")
		return exitUsage
	}
	if help {
		fmt.Fprint(stdout, usage)
		fs.SetOutput(stdout)
		fs.PrintDefaults()
		return exitOK
	}
	if cfg.version {
		fmt.Fprintf(stdout, "verify %s\n", version)
		return exitOK
	}
	cfg.set = make(map[string]string)
	for _, s := range sets {
		name, val, ok := strings.Cut(s, "=")
		if !ok || name == "" || val == "" {
			fmt.Fprintf(stderr, "verify: --set %s: write NAME=VALUE\n", s)
			return exitUsage
		}
		cfg.set[name] = val
	}
	files := fs.Args()
	if len(files) == 0 {
		fmt.Fprintf(stderr, "verify: no spec file given\nRun 'verify --help' for usage.\n")
		return exitUsage
	}
	code := exitOK
	for _, name := range files {
		code = max(code, verifyFile(name, &cfg, stdout, stderr))
	}
	return code
}

// worse orders exit codes by severity: an error over an incomplete search
// over a violation over success.
func verifyFile(name string, cfg *config, stdout, stderr io.Writer) int {
	prog, src, errs := load(name, cfg.set)
	if errs != nil {
		printErrors(stderr, errs, src)
		return exitUsage
	}
	if cfg.lowered {
		prog.Dump(stdout)
		return exitOK
	}
	if cfg.check {
		if !cfg.quiet {
			fmt.Fprintf(stdout, "%s: ok (checked: %s, %d bytes of state)\n", name, plural(len(prog.Actors), "actor"), prog.StateSize)
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "verify: %s: the explorer is not built yet; use --check\n", name)
	return exitUsage
}

// load reads, parses and checks a spec.
func load(name string, set map[string]string) (*spec.Program, []byte, ast.ErrorList) {
	src, err := os.ReadFile(name)
	if err != nil {
		var msg string
		switch {
		case errors.Is(err, os.ErrNotExist):
			msg = "no such file"
		case errors.Is(err, os.ErrPermission):
			msg = "permission denied"
		default:
			msg = err.Error()
		}
		return nil, nil, ast.ErrorList{{Pos: ast.Pos{File: name}, Msg: msg}}
	}
	f, errs := parser.ParseFile(name, src)
	if errs != nil {
		return nil, src, errs
	}
	prog, errs := spec.Compile(f, spec.Options{Set: set})
	return prog, src, errs
}

func printErrors(w io.Writer, errs ast.ErrorList, src []byte) {
	for _, e := range errs {
		fmt.Fprintln(w, e.Error())
		fmt.Fprint(w, e.Context(src))
	}
}

func plural(n int, word string) string {
	if n == 1 {
		return "1 " + word
	}
	return fmt.Sprintf("%d %ss", n, word)
}
