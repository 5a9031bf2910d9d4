package main

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// golden compares got with the file at path, or rewrites it with -update.
func golden(t *testing.T, path, got string) {
	t.Helper()
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/verify -update to create it)", err)
	}
	if string(want) != got {
		t.Errorf("%s differs:\n--- want\n%s--- got\n%s", path, want, got)
	}
}

// TestSpecErrors runs verify --check on every bad input under
// testdata/errors and compares what it prints with the .err file beside it.
// A first line "// set: NAME=VALUE" passes --set NAME=VALUE.
func TestSpecErrors(t *testing.T) {
	t.Chdir("../..")
	files, err := filepath.Glob("testdata/errors/*.ilv")
	if err != nil || len(files) < 40 {
		t.Fatalf("want at least 40 bad inputs, found %d (%v)", len(files), err)
	}
	for _, file := range files {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".ilv"), func(t *testing.T) {
			src, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			args := []string{"--check"}
			if first, _, _ := strings.Cut(string(src), "\n"); strings.HasPrefix(first, "// set: ") {
				args = append(args, "--set", strings.TrimPrefix(first, "// set: "))
			}
			var stdout, stderr bytes.Buffer
			code := run(append(args, file), &stdout, &stderr)
			if code != exitUsage {
				t.Errorf("exit code %d, want %d; stderr:\n%s", code, exitUsage, stderr.String())
			}
			if stdout.Len() != 0 {
				t.Errorf("unexpected stdout: %s", stdout.String())
			}
			out := stderr.String()
			if !strings.HasPrefix(out, file+":") {
				t.Errorf("errors must start with the file name:\n%s", out)
			}
			golden(t, strings.TrimSuffix(file, ".ilv")+".err", out)
		})
	}
}
