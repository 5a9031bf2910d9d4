package archtest

import (
	"os/exec"
	"slices"
	"strings"
	"testing"
)

const module = "github.com/interleave-dev/interleave"

// deps lists the packages pkg depends on, itself excluded.
func deps(t *testing.T, pkg string) []string {
	t.Helper()
	out, err := exec.Command("go", "list", "-deps", pkg).Output()
	if err != nil {
		t.Fatalf("go list -deps %s: %v", pkg, err)
	}
	var list []string
	for _, d := range strings.Fields(string(out)) {
		if d != pkg {
			list = append(list, d)
		}
	}
	return list
}

// std reports whether a package path is in the standard library.
func std(path string) bool {
	first, _, _ := strings.Cut(path, "/")
	return !strings.Contains(first, ".")
}

func TestImportDirection(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	for _, d := range deps(t, module+"/explorer") {
		if strings.HasPrefix(d, module) {
			t.Errorf("explorer imports %s: it must see the model only through its interface", d)
		}
	}
	for _, d := range deps(t, module+"/spec/ast") {
		if !std(d) {
			t.Errorf("spec/ast imports %s: the syntax tree needs only the standard library", d)
		}
	}
	out, err := exec.Command("go", "list", "-f", "{{.ImportPath}} {{join .Imports \" \"}}", module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		fields := strings.Fields(line)
		for _, imp := range fields[1:] {
			if strings.HasPrefix(imp, "github.com/alecthomas/participle") && fields[0] != module+"/parser" {
				t.Errorf("%s imports %s: only the parser knows the grammar library", fields[0], imp)
			}
		}
	}
}

// TestPipelineStages: each stage imports only the stages before it:
// parser -> spec/ast -> spec -> spec/machine -> explorer, with spec/por and
// spec/trace as side roads that nothing but the command and tests use.
func TestPipelineStages(t *testing.T) {
	if testing.Short() {
		t.Skip("runs go list")
	}
	allowed := map[string][]string{
		"spec/ast":     {},
		"parser":       {"spec/ast"},
		"spec":         {"spec/ast"},
		"spec/machine": {"spec", "spec/ast", "explorer"},
		"spec/por":     {"spec", "spec/ast", "spec/machine", "explorer"},
		"spec/trace":   {"spec", "spec/ast", "spec/machine", "explorer"},
	}
	for pkg, ok := range allowed {
		for _, d := range deps(t, module+"/"+pkg) {
			rel, inModule := strings.CutPrefix(d, module+"/")
			if inModule && !slices.Contains(ok, rel) {
				t.Errorf("%s imports %s: it may only see %v", pkg, rel, ok)
			}
		}
	}
}
