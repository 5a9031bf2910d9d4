package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"

	flag "github.com/spf13/pflag"

	"github.com/interleave-dev/interleave/explorer"
	"github.com/interleave-dev/interleave/parser"
	"github.com/interleave-dev/interleave/spec"
	"github.com/interleave-dev/interleave/spec/ast"
	"github.com/interleave-dev/interleave/spec/machine"
	"github.com/interleave-dev/interleave/spec/por"
)

// version is the release of verify; set by the build for releases.
var version = "0.1.0-dev"

// Exit codes.
const (
	exitOK         = 0
	exitViolation  = 1
	exitUsage      = 2
	exitIncomplete = 3
	exitInternal   = 4
)

type config struct {
	check   bool
	lowered bool
	set     map[string]string
	only    []string
	// setElsewhere: several files are verified, and a --set name need be
	// declared by one of them only.
	setElsewhere bool
	quiet        bool
	json         bool
	mermaid      bool   // counterexamples as sequence diagrams
	html         string // the file of the HTML report, if any
	sweeps       []sweep
	raw          bool // counterexamples in the search's order, not reordered to fewer preemptions
	keepGoing    bool
	order        explorer.Order
	maxStates    int64
	maxMemory    int64
	memorySet    bool // --max-memory was given
	reduce       bool
	fairness     explorer.Fairness // the liveness search's default
	stats        bool
	progress     bool // draw the progress line on stderr
	stop         *atomic.Bool
	out          *sync.Mutex // held while a report is written
}

// runEnv is what the process gives a run: the flag a signal sets, the lock
// a second signal waits for, and whether stderr is a terminal.
type runEnv struct {
	stop     *atomic.Bool
	out      *sync.Mutex
	terminal bool
}

const usage = `usage: verify [flags] FILE...

verify explores every interleaving of the actors of each .ilv spec and
either proves it or prints a counterexample.

Exit codes: 0 verified, 1 violation, 2 usage or spec error, 3 incomplete,
4 internal error.

Flags:
`

// run is verify without the process: it parses args, verifies each file and
// returns the exit code. stop, when not nil, interrupts the search.
func run(args []string, stdout, stderr io.Writer) int {
	return runWith(args, stdout, stderr, runEnv{})
}

func runWith(args []string, stdout, stderr io.Writer, env runEnv) (code int) {
	defer internalError(stderr, &code)
	cfg := newConfig(env)
	var raw flagValues
	fs := newFlags(&cfg, &raw)
	if err := fs.Parse(args); err != nil {
		return usageError(stderr, err.Error())
	}
	if raw.help {
		fmt.Fprint(stdout, usage)
		printFlags(stdout, fs)
		return exitOK
	}
	if raw.version {
		fmt.Fprintf(stdout, "verify %s\n", version)
		return exitOK
	}
	if msg := raw.apply(&cfg); msg != "" {
		return usageError(stderr, msg)
	}
	files := fs.Args()
	if msg := cfg.forFiles(files); msg != "" {
		return usageError(stderr, msg)
	}
	cfg.progress = env.terminal && !cfg.quiet && !cfg.json
	code = exitOK
	for _, name := range files {
		if len(cfg.sweeps) > 0 {
			code = worse(code, sweepFile(name, &cfg, stdout, stderr))
		} else {
			code = worse(code, verifyFile(name, &cfg, stdout, stderr))
		}
		if cfg.stop.Load() {
			break
		}
	}
	return code
}

// flagValues holds the flags that are read as text and turned into the
// config by apply.
type flagValues struct {
	sets, sweeps                  []string
	help, version                 bool
	search, maxMemory, trace, por string
	fairness                      string
}

// newFlags defines verify's flags over cfg and raw.
func newFlags(cfg *config, raw *flagValues) *flag.FlagSet {
	fs := flag.NewFlagSet("verify", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.BoolVar(&cfg.check, "check", false, "parse and check the specs only")
	fs.BoolVar(&cfg.lowered, "lowered", false, "print the lowered program (state layout and instructions) and exit")
	fs.StringArrayVar(&raw.sets, "set", nil, "override a constant: `NAME=VALUE` (repeatable)")
	fs.StringArrayVar(&raw.sweeps, "sweep", nil, "run once per value of a constant, `NAME=LO..HI` or NAME=A,B,C (repeatable: every combination), and print a table")
	fs.StringSliceVar(&cfg.only, "only", nil, "check only the named properties (`NAME,...`; safety: every invariant, no liveness)")
	fs.StringVar(&raw.search, "search", "bfs", "the `ORDER` of the search: bfs (shortest counterexamples) or dfs")
	fs.Int64Var(&cfg.maxStates, "max-states", 0, "stop after `N` states (exit 3)")
	fs.StringVar(&raw.maxMemory, "max-memory", "", "stop before the state store exceeds `SIZE`, e.g. 512MB, 2GB (exit 3; default half of the memory)")
	fs.BoolVar(&cfg.keepGoing, "keep-going", false, "go on past violations: one counterexample per violation, and the whole state space")
	fs.StringVar(&raw.por, "por", "on", "turn partial-order reduction `on|off`")
	fs.StringVar(&raw.fairness, "fairness", "weak", "the `KIND` of fairness actors have in the liveness search, unless declared: none, weak or strong")
	fs.BoolVar(&cfg.stats, "stats", false, "print how many states were expanded in full, and why")
	fs.BoolVar(&cfg.json, "json", false, "print one JSON object per file")
	fs.StringVar(&cfg.html, "html", "", "write the counterexample as one self-contained HTML `FILE` (one spec only)")
	fs.StringVar(&raw.trace, "trace", "text", "the `FORMAT` of counterexamples: text, raw (text in the search's order), json or mermaid (a sequence diagram)")
	fs.BoolVarP(&cfg.quiet, "quiet", "q", false, "print only violations and errors")
	fs.BoolVar(&raw.version, "version", false, "print the version and exit")
	fs.BoolVarP(&raw.help, "help", "h", false, "show this help")
	return fs
}

// apply turns the text flags into cfg; it returns what is wrong with
// them, or "".
func (raw *flagValues) apply(cfg *config) string {
	switch raw.search {
	case "bfs":
		cfg.order = explorer.BFS
	case "dfs":
		cfg.order = explorer.DFS
	default:
		return fmt.Sprintf("--search %s: use bfs or dfs", raw.search)
	}
	switch raw.por {
	case "on":
		cfg.reduce = true
	case "off":
	default:
		return fmt.Sprintf("--por %s: use on or off", raw.por)
	}
	fairness, ok := map[string]explorer.Fairness{"weak": explorer.Weak, "strong": explorer.Strong, "none": explorer.NoFairness}[raw.fairness]
	if !ok {
		return fmt.Sprintf("--fairness %s: use none, weak or strong", raw.fairness)
	}
	cfg.fairness = fairness
	set, ok := map[string]*bool{"text": new(bool), "json": &cfg.json, "mermaid": &cfg.mermaid, "raw": &cfg.raw}[raw.trace]
	if !ok {
		return fmt.Sprintf("--trace %s: use text, raw, json or mermaid", raw.trace)
	}
	*set = true
	if cfg.maxStates < 0 {
		return "--max-states must not be negative"
	}
	cfg.maxMemory = defaultMemory()
	if raw.maxMemory != "" {
		n, err := parseSize(raw.maxMemory)
		if err != nil {
			return fmt.Sprintf("--max-memory %s: %v", raw.maxMemory, err)
		}
		cfg.maxMemory, cfg.memorySet = n, true
	}
	return raw.applySets(cfg)
}

// applySets reads the --set and --sweep flags.
func (raw *flagValues) applySets(cfg *config) string {
	for _, s := range raw.sweeps {
		sw, msg := parseSweep(s)
		if msg != "" {
			return msg
		}
		cfg.sweeps = append(cfg.sweeps, sw)
	}
	cfg.set = make(map[string]string)
	for _, s := range raw.sets {
		name, val, ok := strings.Cut(s, "=")
		if !ok || name == "" || val == "" {
			return fmt.Sprintf("--set %s: write NAME=VALUE", s)
		}
		cfg.set[name] = val
	}
	return ""
}

// printFlags lists the flags, one a line, with their argument and default.
func printFlags(w io.Writer, fs *flag.FlagSet) {
	var rows [][2]string
	width := 0
	fs.VisitAll(func(f *flag.Flag) {
		name := "    --" + f.Name
		if f.Shorthand != "" {
			name = "-" + f.Shorthand + ", --" + f.Name
		}
		arg, use := flag.UnquoteUsage(f)
		if f.Value.Type() != "bool" {
			if arg == "string" || arg == "" {
				arg = "VALUE"
			}
			name += " " + arg
		}
		if f.Value.Type() != "bool" && f.DefValue != "" && f.DefValue != "0" && f.DefValue != "[]" {
			use += fmt.Sprintf(" (default %s)", f.DefValue)
		}
		rows = append(rows, [2]string{name, use})
		width = max(width, len(name))
	})
	for _, r := range rows {
		fmt.Fprintf(w, "  %-*s  %s\n", width, r[0], r[1])
	}
}

func usageError(stderr io.Writer, msg string) int {
	fmt.Fprintf(stderr, "verify: %s\nRun 'verify --help' for usage.\n", msg)
	return exitUsage
}

// worse returns the exit code that says more: an error, then a violation,
// then an incomplete search, then success.
func worse(a, b int) int {
	rank := map[int]int{exitOK: 0, exitIncomplete: 1, exitViolation: 2, exitUsage: 3, exitInternal: 4}
	if rank[b] > rank[a] {
		return b
	}
	return a
}

// parseSize reads 512MB, 2GB, 1GiB, 100KB or a number of bytes.
func parseSize(s string) (int64, error) {
	u := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, suf := range []struct {
		s string
		m int64
	}{{"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(u, suf.s) {
			u, mult = strings.TrimSpace(strings.TrimSuffix(u, suf.s)), suf.m
			break
		}
	}
	n, err := strconv.ParseFloat(u, 64)
	if err != nil || n <= 0 {
		return 0, errors.New("write a size such as 512MB or 2GB")
	}
	return int64(n * float64(mult)), nil
}

// internalError, deferred, turns a panic into exit 4 and a message that
// asks for a report.
func internalError(stderr io.Writer, code *int) {
	if r := recover(); r != nil {
		fmt.Fprintf(stderr, "verify: internal error: %v\n%s\nThis is a bug in verify, not in your spec: please report it with the spec and the command.\n", r, debug.Stack())
		*code = exitInternal
	}
}

// newConfig is the configuration of a run, before its flags.
func newConfig(env runEnv) config {
	cfg := config{stop: env.stop, out: env.out}
	if cfg.stop == nil {
		cfg.stop = new(atomic.Bool)
	}
	if cfg.out == nil {
		cfg.out = new(sync.Mutex)
	}
	return cfg
}

// forFiles checks the flags against the files given; the message of a
// misuse, or "".
func (cfg *config) forFiles(files []string) string {
	switch {
	case len(files) == 0:
		return "no spec file given"
	case cfg.html != "" && len(files) > 1:
		return "--html writes the report of one spec: give one file"
	case cfg.html != "" && len(cfg.sweeps) > 0:
		return "--html writes the report of one run, and --sweep makes several"
	case len(files) > 1 && len(cfg.set) > 0:
		// With several files, each --set name must be declared by one of
		// them at least; the others go on without it.
		cfg.setElsewhere = true
		return undeclaredSets(files, cfg.set)
	}
	return ""
}

// options are the explorer's options, with the progress line it draws.
func (cfg *config) options(stderr io.Writer) (explorer.Options, *progressLine) {
	opts := explorer.Options{Order: cfg.order, KeepGoing: cfg.keepGoing, MaxStates: cfg.maxStates,
		MaxMemory: cfg.maxMemory, Stop: cfg.stop, Reduce: cfg.reduce, Liveness: !slices.Contains(cfg.only, spec.OnlySafety)}
	line := &progressLine{}
	if cfg.progress {
		line.w = stderr
		opts.Progress = line.draw
	}
	return opts, line
}

// emit writes the report in the form asked for, then the HTML page of a
// violation when asked for one.
func emit(rep *report, res *explorer.Result, src []byte, cfg *config, stdout io.Writer) error {
	switch {
	case cfg.json:
		writeJSON(stdout, rep)
	case cfg.mermaid && rep.Verdict == "violation":
		rep.writeMermaid(stdout)
	default:
		rep.writeText(stdout, cfg.quiet)
		if cfg.stats {
			writeStats(stdout, res)
		}
	}
	if cfg.html != "" && rep.Verdict == "violation" {
		return writeHTMLFile(cfg.html, rep, src)
	}
	return nil
}

// verifyFile checks and explores one spec and reports on it.
func verifyFile(name string, cfg *config, stdout, stderr io.Writer) int {
	prog, src, errs := load(name, cfg)
	cfg.out.Lock()
	defer cfg.out.Unlock()
	if errs != nil {
		if cfg.json {
			writeJSON(stdout, errorReport(name, errs))
		}
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
	opts, line := cfg.options(stderr)
	cfg.out.Unlock()
	res := explorer.Explore(newSystem(prog, cfg), opts)
	cfg.out.Lock()
	line.clear()
	rep := newReport(name, prog, res, cfg)
	if err := emit(rep, res, src, cfg, stdout); err != nil {
		fmt.Fprintf(stderr, "verify: %v\n", err)
		return exitUsage
	}
	switch rep.Verdict {
	case "violation":
		return exitViolation
	case "incomplete":
		return exitIncomplete
	}
	return exitOK
}

// newSystem is the system the explorer searches: the program's machine,
// with its reduction when reduction is on.
func newSystem(prog *spec.Program, cfg *config) explorer.System {
	m := machine.New(prog)
	m.DefaultFairness = cfg.fairness
	if cfg.reduce {
		return por.New(m)
	}
	return m
}

// load reads, parses and checks a spec.
func load(name string, cfg *config) (*spec.Program, []byte, ast.ErrorList) {
	src, err := readSpec(name)
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
	prog, errs := spec.Compile(f, spec.Options{Set: cfg.set, SetElsewhere: cfg.setElsewhere, Only: cfg.only})
	return prog, src, errs
}

// undeclaredSets names the --set constants that none of the files
// declares, or returns "". Files that cannot be read or parsed are left to
// the run, which reports them.
func undeclaredSets(files []string, set map[string]string) string {
	declared := map[string]bool{}
	for _, name := range files {
		src, err := readSpec(name)
		if err != nil {
			continue
		}
		f, errs := parser.ParseFile(name, src)
		if errs != nil {
			continue
		}
		for _, d := range f.Decls {
			if c, ok := d.(*ast.ConstDecl); ok {
				declared[c.Name.Name] = true
			}
		}
	}
	var missing []string
	for n := range set {
		if !declared[n] {
			missing = append(missing, n)
		}
	}
	if len(missing) == 0 {
		return ""
	}
	slices.Sort(missing)
	return fmt.Sprintf("--set %s: none of the files declares a constant %s", strings.Join(missing, ", "), strings.Join(missing, ", "))
}

// readSpec reads a spec file, but no more than one byte past the largest
// the parser takes: a device or a huge file does not exhaust memory.
func readSpec(name string) ([]byte, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(io.LimitReader(f, parser.MaxSize+1))
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
