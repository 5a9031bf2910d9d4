package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"
	"time"
)

// slowSpec has about 10^9 states: no search ends before it is stopped.
const slowSpec = `var c: [6]0..31
actor A[6] { loop { c[self] = (c[self] + 1) % 32 } }
`

// buildVerify builds the command once for the tests that signal it.
func buildVerify(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds the command")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "verify")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	spec := filepath.Join(dir, "slow.ilv")
	if err := os.WriteFile(spec, []byte(slowSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	return bin
}

// TestSignals: SIGTERM, SIGINT, and two SIGINTs in a row each stop the
// search with the partial report and exit 3.
func TestSignals(t *testing.T) {
	bin := buildVerify(t)
	spec := filepath.Join(filepath.Dir(bin), "slow.ilv")
	for _, tt := range []struct {
		name string
		sigs []syscall.Signal
	}{
		{"SIGTERM", []syscall.Signal{syscall.SIGTERM}},
		{"SIGINT", []syscall.Signal{syscall.SIGINT}},
		{"SIGINT twice", []syscall.Signal{syscall.SIGINT, syscall.SIGINT}},
		{"SIGTERM then SIGINT", []syscall.Signal{syscall.SIGTERM, syscall.SIGINT}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			cmd := exec.Command(bin, "--por", "off", spec)
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			time.Sleep(400 * time.Millisecond) // past start-up: the search runs
			for _, s := range tt.sigs {
				cmd.Process.Signal(s)
				time.Sleep(2 * time.Millisecond)
			}
			err := cmd.Wait()
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != exitIncomplete {
				t.Fatalf("got %v, want exit %d; stderr:\n%s", err, exitIncomplete, stderr.String())
			}
			out := stdout.String()
			if !strings.Contains(out, "slow.ilv: incomplete: stopped by a signal (Ctrl-C or SIGTERM)") || !strings.Contains(out, "states") {
				t.Errorf("no partial report:\n%s", out)
			}
		})
	}
}

// TestStopBeforeSearch: a signal that comes while the spec is read or
// compiled stops the run before the search, with a report.
func TestStopBeforeSearch(t *testing.T) {
	dir := t.TempDir()
	spec := filepath.Join(dir, "slow.ilv")
	if err := os.WriteFile(spec, []byte(slowSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	stop.Store(true)
	var stdout, stderr bytes.Buffer
	code := runWith([]string{spec, spec}, &stdout, &stderr, runEnv{stop: &stop})
	if code != exitIncomplete {
		t.Fatalf("exit %d, want %d", code, exitIncomplete)
	}
	if n := strings.Count(stdout.String(), "incomplete"); n != 1 {
		t.Errorf("want one partial report and no second file, got:\n%s", stdout.String())
	}
}

// TestPanicIsInternalError: a panic inside verify is exit 4 with a
// message that says what to report, never exit 2 (a spec error).
func TestPanicIsInternalError(t *testing.T) {
	var stderr bytes.Buffer
	code := run([]string{"../../models/dispatcher_shutdown.ilv"}, panicWriter{}, &stderr)
	if code != exitInternal {
		t.Fatalf("exit %d, want %d", code, exitInternal)
	}
	if !strings.Contains(stderr.String(), "verify: internal error: ") || !strings.Contains(stderr.String(), "please report it") {
		t.Errorf("stderr:\n%s", stderr.String())
	}
}

// panicWriter panics on every write, as a bug in verify would.
type panicWriter struct{}

func (panicWriter) Write([]byte) (int, error) { panic("test panic") }
