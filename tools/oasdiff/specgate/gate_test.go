package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// repoSpec is the real spec; every case derives its revision from it.
const repoSpec = "../../../openapi/xink.yaml"

const changelog100 = "# Changelog\n\n## [1.0.0] - 2026-12-03\n\n### Added\n\n- first release\n"

// loadSpec parses the real spec into a YAML node tree the cases can edit.
func loadSpec(t *testing.T) *yaml.Node {
	t.Helper()
	data, err := os.ReadFile(repoSpec)
	if err != nil {
		t.Fatal(err)
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return &doc
}

// lookup walks mapping keys from the document root and returns the mapping
// node that holds the last key, and that key's index in it.
func lookup(t *testing.T, doc *yaml.Node, path ...string) (parent *yaml.Node, idx int) {
	t.Helper()
	n := doc.Content[0]
	for i, key := range path {
		if n.Kind != yaml.MappingNode {
			t.Fatalf("%s: not a mapping", strings.Join(path[:i], "."))
		}
		found := -1
		for j := 0; j < len(n.Content); j += 2 {
			if n.Content[j].Value == key {
				found = j
				break
			}
		}
		if found < 0 {
			t.Fatalf("%s: no such key in the spec", strings.Join(path[:i+1], "."))
		}
		if i == len(path)-1 {
			return n, found
		}
		n = n.Content[found+1]
	}
	t.Fatal("empty path")
	return nil, 0
}

func remove(t *testing.T, doc *yaml.Node, path ...string) {
	t.Helper()
	parent, i := lookup(t, doc, path...)
	parent.Content = append(parent.Content[:i], parent.Content[i+2:]...)
}

func setScalar(t *testing.T, doc *yaml.Node, value string, path ...string) {
	t.Helper()
	parent, i := lookup(t, doc, path...)
	parent.Content[i+1].Value = value
}

// addYAML adds key: <snippet> to the mapping at path.
func addYAML(t *testing.T, doc *yaml.Node, key, snippet string, path ...string) {
	t.Helper()
	parent, i := lookup(t, doc, path...)
	m := parent.Content[i+1]
	for j := 0; j < len(m.Content); j += 2 {
		if m.Content[j].Value == key {
			t.Fatalf("%s.%s already exists", strings.Join(path, "."), key)
		}
	}
	var v yaml.Node
	if err := yaml.Unmarshal([]byte(snippet), &v); err != nil {
		t.Fatal(err)
	}
	m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: key}, v.Content[0])
}

// setup writes the unmodified spec as baseline 1.0.0, the edited revision and
// a changelog into a temp dir, and returns the gate's options.
func setup(t *testing.T, rev *yaml.Node, changelog string) options {
	t.Helper()
	dir := t.TempDir()
	base, err := os.ReadFile(repoSpec)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.MkdirAll(filepath.Join(dir, "baseline"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "baseline", "xink-1.0.0.yaml"), base, 0o644); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(rev); err != nil {
		t.Fatal(err)
	}
	o := options{
		baselineDir: filepath.Join(dir, "baseline"),
		spec:        filepath.Join(dir, "xink.yaml"),
		changelog:   filepath.Join(dir, "CHANGELOG.md"),
	}
	if err := os.WriteFile(o.spec, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(o.changelog, []byte(changelog), 0o644); err != nil {
		t.Fatal(err)
	}
	return o
}

func TestGate(t *testing.T) {
	removeOptionalField := func(t *testing.T, d *yaml.Node) {
		remove(t, d, "components", "schemas", "Employee", "properties", "FirstName")
	}
	cases := []struct {
		name      string
		edit      func(t *testing.T, d *yaml.Node)
		changelog string
		wantPass  bool
		wantIn    []string // substrings of the breaking-change list
		wantFail  string   // substring of a failure
	}{
		{
			name:      "unchanged spec passes",
			edit:      func(*testing.T, *yaml.Node) {},
			changelog: changelog100,
			wantPass:  true,
		},
		{
			name:      "removing an optional response field fails",
			edit:      removeOptionalField,
			changelog: changelog100,
			wantIn:    []string{"response-optional-property-removed", "FirstName"},
			wantFail:  "not a major bump",
		},
		{
			name: "removing a required response field fails",
			edit: func(t *testing.T, d *yaml.Node) {
				remove(t, d, "components", "schemas", "TokenResponse", "properties", "access_token")
				parent, i := lookup(t, d, "components", "schemas", "TokenResponse", "required")
				req := parent.Content[i+1]
				kept := req.Content[:0]
				for _, n := range req.Content {
					if n.Value != "access_token" {
						kept = append(kept, n)
					}
				}
				req.Content = kept
			},
			changelog: changelog100,
			wantIn:    []string{"access_token"},
			wantFail:  "not a major bump",
		},
		{
			name:      "removing an operation fails",
			edit:      func(t *testing.T, d *yaml.Node) { remove(t, d, "paths", "/api/1.0/rerouting/list") },
			changelog: changelog100,
			wantIn:    []string{"/api/1.0/rerouting/list"},
			wantFail:  "not a major bump",
		},
		{
			name: "additive changes pass",
			edit: func(t *testing.T, d *yaml.Node) {
				addYAML(t, d, "PreferredName", "type: string\nnullable: true\n", "components", "schemas", "Employee", "properties")
				addYAML(t, d, "/api/1.0/account/ping", `
get:
  operationId: pingAccount
  tags: [Account]
  summary: A new operation
  x-xink-provenance: inferred
  security:
    - oauth2: []
  responses:
    '200':
      $ref: '#/components/responses/Ok'
    '401':
      $ref: '#/components/responses/Unauthorized'
`, "paths")
				setScalar(t, d, "1.1.0", "info", "version")
			},
			changelog: changelog100 + "\n## [1.1.0] - 2026-12-04\n\n### Added\n\n- Employee.PreferredName, GET /api/1.0/account/ping\n",
			wantPass:  true,
		},
		{
			name: "breaking change with a minor bump fails",
			edit: func(t *testing.T, d *yaml.Node) {
				removeOptionalField(t, d)
				setScalar(t, d, "1.1.0", "info", "version")
			},
			changelog: changelog100 + "\n## [1.1.0]\n\n### Removed\n\n- Employee.FirstName\n",
			wantFail:  "not a major bump",
		},
		{
			name: "breaking change with a major bump and a changelog reason passes",
			edit: func(t *testing.T, d *yaml.Node) {
				removeOptionalField(t, d)
				setScalar(t, d, "2.0.0", "info", "version")
			},
			changelog: changelog100 + "\n## [2.0.0] - 2027-01-10\n\n### Breaking\n\n- Employee.FirstName removed: Xink never sends it (see recordings).\n",
			wantPass:  true,
			wantIn:    []string{"response-optional-property-removed"},
		},
		{
			name: "breaking change with a major bump but no reason in the changelog fails",
			edit: func(t *testing.T, d *yaml.Node) {
				removeOptionalField(t, d)
				setScalar(t, d, "2.0.0", "info", "version")
			},
			changelog: changelog100 + "\n## [2.0.0] - 2027-01-10\n\n### Changed\n\n- things\n",
			wantFail:  "has no \"### Breaking\" list",
		},
		{
			name: "breaking change with a major bump and no changelog entry fails",
			edit: func(t *testing.T, d *yaml.Node) {
				removeOptionalField(t, d)
				setScalar(t, d, "2.0.0", "info", "version")
			},
			changelog: changelog100,
			wantFail:  "has no entry \"## [2.0.0]\"",
		},
		{
			name:      "a version lower than the baseline fails",
			edit:      func(t *testing.T, d *yaml.Node) { setScalar(t, d, "0.9.0", "info", "version") },
			changelog: changelog100 + "\n## [0.9.0]\n\n### Changed\n\n- oops\n",
			wantFail:  "lower than the released baseline",
		},
		{
			name:      "a version without a changelog entry fails even when compatible",
			edit:      func(t *testing.T, d *yaml.Node) { setScalar(t, d, "1.0.1", "info", "version") },
			changelog: changelog100,
			wantFail:  "has no entry \"## [1.0.1]\"",
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := loadSpec(t)
			tc.edit(t, doc)
			res, err := run(setup(t, doc, tc.changelog))
			if err != nil {
				t.Fatalf("run: %v", err)
			}
			all := strings.Join(res.breaking, "\n")
			for _, w := range tc.wantIn {
				if !strings.Contains(all, w) {
					t.Errorf("breaking changes lack %q; got:\n%s", w, all)
				}
			}
			if tc.wantPass {
				if len(res.breaking) > 0 && !strings.Contains(tc.name, "major bump") {
					t.Errorf("want no breaking changes, got:\n%s", all)
				}
				if len(res.failures) > 0 {
					t.Errorf("want pass, got failures: %q\nbreaking:\n%s", res.failures, all)
				}
				return
			}
			if len(res.failures) == 0 {
				t.Fatalf("want failure %q, gate passed; breaking:\n%s", tc.wantFail, all)
			}
			if f := strings.Join(res.failures, "\n"); !strings.Contains(f, tc.wantFail) {
				t.Errorf("failures %q lack %q", f, tc.wantFail)
			}
		})
	}
}

func TestLatestBaselinePicksHighestVersion(t *testing.T) {
	dir := t.TempDir()
	for _, n := range []string{"xink-1.9.0.yaml", "xink-1.10.0.yaml", "xink-2.0.0-rc1.yaml", "notes.md"} {
		if err := os.WriteFile(filepath.Join(dir, n), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := latestBaseline(dir)
	if err != nil {
		t.Fatal(err)
	}
	if filepath.Base(got) != "xink-1.10.0.yaml" {
		t.Errorf("latestBaseline = %s, want xink-1.10.0.yaml", got)
	}
	if _, err := latestBaseline(t.TempDir()); err == nil {
		t.Error("empty directory: want an error")
	}
}

func TestCLIExitCodes(t *testing.T) {
	doc := loadSpec(t)
	o := setup(t, doc, changelog100)
	var out, errb bytes.Buffer
	if code := cli([]string{"-baseline", o.baselineDir, "-spec", o.spec, "-changelog", o.changelog}, &out, &errb); code != 0 {
		t.Fatalf("unchanged spec: exit %d, stderr %s", code, errb.String())
	}
	remove(t, doc, "components", "schemas", "Employee", "properties", "FirstName")
	o = setup(t, doc, changelog100)
	out.Reset()
	errb.Reset()
	if code := cli([]string{"-baseline", o.baselineDir, "-spec", o.spec, "-changelog", o.changelog}, &out, &errb); code != 1 {
		t.Fatalf("field removed: exit %d, want 1; stdout %s", code, out.String())
	}
	if !strings.Contains(errb.String(), "FAIL") {
		t.Errorf("stderr %q lacks FAIL", errb.String())
	}
	if code := cli([]string{"-baseline", filepath.Join(t.TempDir(), "missing")}, &out, &errb); code != 2 {
		t.Errorf("missing baseline dir: exit %d, want 2", code)
	}
}
