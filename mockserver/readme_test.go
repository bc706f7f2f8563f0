package mockserver_test

import (
	"bufio"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver/mocktest"
)

// TestREADMEWalkthrough runs the curl walk-through of the README's mock section, as written,
// against a mock (the base URL swapped for the test's), and checks every output the README
// shows ("# {...}", "# HTTP/1.1 ...") appears, in order. Tokens, dates and clock readings
// are compared by shape; "…" in the README stands for anything.
func TestREADMEWalkthrough(t *testing.T) {
	for _, tool := range []string{"bash", "curl", "sed", "base64", "grep"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed, so the README walk-through cannot run here", tool)
		}
	}
	readme, err := os.ReadFile("../README.md")
	if err != nil {
		t.Fatal(err)
	}
	s := string(readme)
	a, b := strings.Index(s, "<!-- BEGIN SECTION mock -->"), strings.Index(s, "<!-- END SECTION mock -->")
	if a < 0 || b < a {
		t.Fatal("README has no mock section")
	}
	blocks := regexp.MustCompile("(?s)```sh\n(.*?)```").FindAllStringSubmatch(s[a:b], -1)
	var script strings.Builder
	for _, bl := range blocks {
		if strings.Contains(bl[1], "make run") { // the how-to-run block
			continue
		}
		script.WriteString(bl[1])
	}
	m := mocktest.Start(t)
	const readmeBase = "http://127.0.0.1:8080" // what `make run` serves
	text := strings.ReplaceAll(script.String(), readmeBase, m.URL)

	var expected []string
	sc := bufio.NewScanner(strings.NewReader(text))
	for sc.Scan() {
		line := sc.Text()
		if out, ok := strings.CutPrefix(line, "# "); ok && isOutput(out) {
			expected = append(expected, out)
		}
	}
	if len(expected) < 15 {
		t.Fatalf("found only %d outputs in the README walk-through", len(expected))
	}
	cmd := exec.Command("bash", "-c", text)
	cmd.Dir = t.TempDir()
	got, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("walk-through failed: %v\n%s", err, got)
	}
	lines := strings.Split(strings.ReplaceAll(string(got), "\r", ""), "\n")
	i := 0
	for _, want := range expected {
		re := shapeRegexp(want)
		for ; i < len(lines) && !re.MatchString(lines[i]); i++ {
		}
		if i == len(lines) {
			t.Fatalf("README output not produced (in order):\n  %s\nwalk-through output:\n%s", want, got)
		}
		i++
	}
}

func isOutput(s string) bool {
	for _, p := range []string{"{", "HTTP/", "Www-Authenticate", "Retry-After", "200 ", "401"} {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}

var variable = regexp.MustCompile(`"(access_token|Created|Now)":"[^"]*"`)

// shapeRegexp turns a README output line into a whole-line pattern: variable values and "…"
// match anything.
func shapeRegexp(line string) *regexp.Regexp {
	var b strings.Builder
	b.WriteString("^")
	last := 0
	for _, loc := range variable.FindAllStringSubmatchIndex(line, -1) {
		b.WriteString(quoteWithEllipsis(line[last:loc[0]]))
		b.WriteString(`"` + regexp.QuoteMeta(line[loc[2]:loc[3]]) + `":"[^"]*"`)
		last = loc[1]
	}
	b.WriteString(quoteWithEllipsis(line[last:]))
	b.WriteString("$")
	return regexp.MustCompile(b.String())
}

func quoteWithEllipsis(s string) string {
	parts := strings.Split(s, "…")
	for i, p := range parts {
		parts[i] = regexp.QuoteMeta(p)
	}
	return strings.Join(parts, ".*")
}
