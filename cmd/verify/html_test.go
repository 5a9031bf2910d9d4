package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// A lasso whose cycle repeats: P[1] takes the lock again and again.
const lassoSpec = `var locked: bool
actor P[2] {
    loop {
        label want:
        atomic { await !locked; locked = true }
        label crit:
        locked = false
    }
}
liveness served { always (P[0]@want -> eventually P[0]@crit) }
`

var selected = regexp.MustCompile(`<tr class="step[^"]* selected"`)

var externalRef = regexp.MustCompile(`(?i)(src|href)\s*=\s*"?(https?:|//)|url\(\s*['"]?(https?:|//)|@import`)

// TestHTMLReport writes the report of a read-after-close, a deadlock and a
// lasso, and checks each page: one file under 200 KB that fetches nothing,
// with the step table, the diagram and the marked source. In headless
// Chromium (skipped when missing: apt-get install chromium; .ci/run
// installs it) the page loads without a console error, a click on the
// last step fills the state panel with what changed, and it renders to a
// screenshot.
func TestHTMLReport(t *testing.T) {
	t.Chdir("../..")
	dir := t.TempDir()
	lasso := filepath.Join(dir, "lasso.ilv")
	if err := os.WriteFile(lasso, []byte(lassoSpec), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		file  string
		shows []string
	}{
		{"models/dispatcher_shutdown.ilv", []string{"read-after-close", `id="step-5"`, "finished.close()"}},
		{"models/xunit_slots.ilv", []string{"deadlock", `<table id="blocked">`, "slots.acquire()"}},
		{lasso, []string{"repeats forever", `class="step cycle"`, "-- from here steps 1-2 repeat forever --"}},
	} {
		page := filepath.Join(dir, strings.TrimSuffix(filepath.Base(c.file), ".ilv")+".html")
		var stdout, stderr bytes.Buffer
		if code := run([]string{"-q", "--html", page, c.file}, &stdout, &stderr); code != exitViolation {
			t.Fatalf("%s: exit %d\n%s", c.file, code, stderr.String())
		}
		b, err := os.ReadFile(page)
		if err != nil {
			t.Fatal(err)
		}
		html := string(b)
		if len(b) > 200<<10 || externalRef.MatchString(html) {
			t.Errorf("%s: %d bytes, or it fetches something", c.file, len(b))
		}
		for _, s := range append(c.shows, "<svg", `class="hit"`, `<table id="steps">`) {
			if !strings.Contains(html, s) {
				t.Errorf("%s: the page does not show %q", c.file, s)
			}
		}
		inBrowser(t, page, strings.Count(html, `<tr class="step`))
	}
}

// inBrowser opens the page in headless Chromium, clicking step last
// through the page's own link (#step=N), and checks the state panel and
// the console.
func inBrowser(t *testing.T, page string, last int) {
	t.Helper()
	browser := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			browser = p
			break
		}
	}
	if browser == "" {
		t.Log("no Chromium (apt-get install chromium): the page is not opened in a browser")
		return
	}
	url := "file://" + page + "#step=" + strconv.Itoa(last)
	flags := []string{"--headless", "--no-sandbox", "--disable-gpu", "--enable-logging=stderr", "--v=0"}
	cmd := exec.Command(browser, append(flags, "--dump-dom", url)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	dom, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, stderr.String())
	}
	for _, line := range strings.Split(stderr.String(), "\n") {
		if strings.Contains(line, ":CONSOLE") {
			t.Errorf("%s: the console says %s", page, line)
		}
	}
	if want := `<span id="at">after step ` + strconv.Itoa(last) + `</span>`; !bytes.Contains(dom, []byte(want)) ||
		!bytes.Contains(dom, []byte(`class="changed"`)) || !selected.Match(dom) {
		t.Errorf("%s: a click on step %d does not show its state:\n%s", page, last, dom)
	}
	shot := strings.TrimSuffix(page, ".html") + ".png"
	cmd = exec.Command(browser, append(flags, "--screenshot="+shot, "--window-size=1200,1400", url)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("%s: %v\n%s", browser, err, out)
	}
	if png, err := os.ReadFile(shot); err != nil || len(png) < 10<<10 || !bytes.HasPrefix(png, []byte("\x89PNG")) {
		t.Errorf("%s: no screenshot (%v, %d bytes)", page, err, len(png))
	}
}
