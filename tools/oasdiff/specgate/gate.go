package main

import (
	"bufio"
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/oasdiff/oasdiff/checker"
	"github.com/oasdiff/oasdiff/diff"
	"github.com/oasdiff/oasdiff/load"
	"github.com/oasdiff/oasdiff/versioning"
)

// houseSeverity raises oasdiff rules that oasdiff rates as harmless (INFO)
// but that break code generated from our spec, which is how most consumers
// use it. Any change at WARN or above counts as breaking (oasdiff's own
// versioning policy uses the same threshold).
var houseSeverity = map[string]checker.Level{
	// A generated model loses a field: consumer code that reads it stops compiling
	// (oasdiff rates only the removal of a *required* response property ERR; most
	// of our response properties are optional because Xink's .NET models are).
	checker.ResponseOptionalPropertyRemovedId: checker.ERR,
	// Generated method and type names come from operationId.
	checker.APIOperationIdRemovedId: checker.ERR,
}

// options configures one run of the gate.
type options struct {
	baselineDir string // directory of released baselines, files named xink-<semver>.yaml
	spec        string // the current spec
	changelog   string // CHANGELOG.md
}

// result is what the gate found. failures is empty when the gate passes.
type result struct {
	baselineFile    string
	baseVersion     string
	revisionVersion string
	breaking        []string // one line per change at WARN or above
	other           []string // one line per compatible change oasdiff reports (INFO)
	failures        []string
}

var baselineName = regexp.MustCompile(`^xink-(\d+)\.(\d+)\.(\d+)\.yaml$`)

// latestBaseline returns the baseline file with the highest version in dir.
func latestBaseline(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", fmt.Errorf("baseline directory: %w", err)
	}
	type cand struct {
		name string
		v    [3]int
	}
	var cands []cand
	for _, e := range entries {
		m := baselineName.FindStringSubmatch(e.Name())
		if m == nil || e.IsDir() {
			continue
		}
		var c cand
		c.name = e.Name()
		for i := range 3 {
			c.v[i], _ = strconv.Atoi(m[i+1]) // the pattern admits digits only
		}
		cands = append(cands, c)
	}
	if len(cands) == 0 {
		return "", fmt.Errorf("no baseline named xink-<major>.<minor>.<patch>.yaml in %s", dir)
	}
	sort.Slice(cands, func(i, j int) bool { return less(cands[i].v, cands[j].v) })
	return filepath.Join(dir, cands[len(cands)-1].name), nil
}

// run compares the current spec with the latest released baseline.
// It returns an error only when it cannot judge (missing file, invalid spec);
// a judged violation is reported in result.failures.
func run(o options) (*result, error) {
	basePath, err := latestBaseline(o.baselineDir)
	if err != nil {
		return nil, err
	}
	res := &result{baselineFile: basePath}

	loader := openapi3.NewLoader()
	loader.IsExternalRefsAllowed = false
	base, err := load.NewSpecInfo(loader, load.NewSource(basePath))
	if err != nil {
		return nil, fmt.Errorf("load baseline %s: %w", basePath, err)
	}
	rev, err := load.NewSpecInfo(loader, load.NewSource(o.spec))
	if err != nil {
		return nil, fmt.Errorf("load spec %s: %w", o.spec, err)
	}
	res.baseVersion, res.revisionVersion = base.GetVersion(), rev.GetVersion()

	if want := strings.TrimSuffix(strings.TrimPrefix(filepath.Base(basePath), "xink-"), ".yaml"); want != res.baseVersion {
		res.failures = append(res.failures, fmt.Sprintf("baseline %s has info.version %q; its file name says %q", basePath, res.baseVersion, want))
	}

	d, sources, err := diff.GetWithOperationsSourcesMap(diff.NewConfig(), base, rev)
	if err != nil {
		return nil, fmt.Errorf("diff: %w", err)
	}
	cfg := checker.NewConfig(checker.GetAllChecks(), checker.WithSeverityLevels(houseSeverity))
	changes := checker.CheckBackwardCompatibilityUntilLevel(cfg, d, sources, checker.INFO)
	loc := checker.NewDefaultLocalizer()
	for _, c := range changes {
		line := fmt.Sprintf("%s %s %s: %s [%s]", c.GetLevel(), c.GetOperation(), c.GetPath(), c.GetUncolorizedText(loc), c.GetId())
		if c.GetLevel().IsBreaking() {
			res.breaking = append(res.breaking, line)
		} else {
			res.other = append(res.other, line)
		}
	}

	entries, err := changelogEntries(o.changelog)
	if err != nil {
		return nil, err
	}
	entry, hasEntry := entries[res.revisionVersion]
	if !hasEntry {
		res.failures = append(res.failures, fmt.Sprintf("%s has no entry \"## [%s]\" for the spec's info.version", o.changelog, res.revisionVersion))
	}

	if b, ok := parseVersion(res.baseVersion); ok {
		if r, ok := parseVersion(res.revisionVersion); ok && less(r, b) {
			res.failures = append(res.failures, fmt.Sprintf("info.version %s is lower than the released baseline %s", res.revisionVersion, res.baseVersion))
		}
	}

	if len(res.breaking) == 0 {
		return res, nil
	}
	verdict := versioning.Check(d, changes)
	switch verdict.Status {
	case versioning.Satisfied:
		// A major bump alone is not enough: the changelog must say why.
		if hasEntry && !hasBreakingNote(entry) {
			res.failures = append(res.failures, fmt.Sprintf("%s entry [%s] has no \"### Breaking\" list saying what broke and why", o.changelog, res.revisionVersion))
		}
	case versioning.Undecidable:
		res.failures = append(res.failures, fmt.Sprintf("breaking changes, and info.version %q -> %q is not semver", res.baseVersion, res.revisionVersion))
	default:
		res.failures = append(res.failures, fmt.Sprintf("%d breaking change(s) against %s %s but info.version %s is not a major bump (bump it and add a \"### Breaking\" list to the changelog entry)", len(res.breaking), filepath.Base(basePath), res.baseVersion, res.revisionVersion))
	}
	return res, nil
}

var semverCore = regexp.MustCompile(`^v?(\d+)\.(\d+)\.(\d+)(?:[-+].*)?$`)

// parseVersion returns major, minor, patch of a semantic version.
func parseVersion(v string) ([3]int, bool) {
	var out [3]int
	m := semverCore.FindStringSubmatch(v)
	if m == nil {
		return out, false
	}
	for i := range 3 {
		n, err := strconv.Atoi(m[i+1])
		if err != nil {
			return out, false
		}
		out[i] = n
	}
	return out, true
}

func less(a, b [3]int) bool {
	for i := range 3 {
		if a[i] != b[i] {
			return a[i] < b[i]
		}
	}
	return false
}

var versionHeading = regexp.MustCompile(`^## \[([^\]]+)\]`)

// changelogEntries maps each "## [version]" heading of a Keep a Changelog file
// to the text of its section.
func changelogEntries(path string) (map[string]string, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("changelog: %w", err)
	}
	out := map[string]string{}
	var cur string
	var buf bytes.Buffer
	flush := func() {
		if cur != "" {
			out[cur] = buf.String()
		}
		buf.Reset()
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line := sc.Text()
		if strings.HasPrefix(line, "## ") {
			flush()
			cur = ""
			if m := versionHeading.FindStringSubmatch(line); m != nil {
				cur = m[1]
			}
			continue
		}
		buf.WriteString(line)
		buf.WriteByte('\n')
	}
	flush()
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("changelog: %w", err)
	}
	if len(out) == 0 {
		return nil, errors.New("changelog: no \"## [version]\" entries")
	}
	return out, nil
}

// hasBreakingNote reports whether a changelog section has a "### Breaking"
// subsection with at least one list item.
func hasBreakingNote(section string) bool {
	in := false
	for line := range strings.SplitSeq(section, "\n") {
		t := strings.TrimSpace(line)
		if strings.HasPrefix(t, "### ") {
			in = strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(t, "### ")), "Breaking")
			continue
		}
		if in && (strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ")) && len(strings.TrimSpace(t[2:])) > 0 {
			return true
		}
	}
	return false
}
