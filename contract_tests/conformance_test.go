package contracttests

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"path/filepath"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/contract_tests/cassette"
	"github.com/xink-go/xink-go/contract_tests/conform"
)

func loadRecordings(t *testing.T) []*cassette.Cassette {
	t.Helper()
	cs, err := cassette.LoadDir(recordingsDir)
	if err != nil {
		t.Fatal(err)
	}
	if len(cs) == 0 {
		t.Fatalf("no recordings in %s", recordingsDir)
	}
	return cs
}

// conformance checks every interaction of c: the recorded operationId is the
// spec's for that route, the response validates against the spec on its raw
// bytes, and it decodes into the generated types and re-encodes without loss.
func conformance(t *testing.T, c *cassette.Cassette) []string {
	t.Helper()
	s := loadSpec(t)
	var problems []string
	for i, in := range c.Interactions {
		where := fmt.Sprintf("%s#%d", c.Name, i)
		op := s.OperationID(in.Request.Method, in.Request.Path)
		if op == "" {
			problems = append(problems, fmt.Sprintf("%s: %s %s matches no spec operation", where, in.Request.Method, in.Request.Path))
			continue
		}
		if op != in.OperationID {
			problems = append(problems, fmt.Sprintf("%s: recorded operationId %q, the spec says %q", where, in.OperationID, op))
		}
		body, err := in.Response.Bytes()
		if err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
			continue
		}
		h := http.Header{}
		for k, vs := range in.Response.Headers {
			h[http.CanonicalHeaderKey(k)] = vs
		}
		if err := s.ValidateResponse(t.Context(), in.Request.Method, in.Request.Path, in.Request.Query, in.Response.Status, h, body); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
		}
		if err := conform.DecodeReencode(op, in.Response.Status, h, body); err != nil {
			problems = append(problems, fmt.Sprintf("%s: %v", where, err))
		}
	}
	return problems
}

// TestRecordingsConform: every recorded response conforms to the spec.
func TestRecordingsConform(t *testing.T) {
	for _, c := range loadRecordings(t) {
		t.Run(c.Name, func(t *testing.T) {
			for _, p := range conformance(t, c) {
				t.Error(p)
			}
		})
	}
}

// TestRecordingsProvenance: token and discovery reproduce Xink's documented
// examples; every other recording is synthetic and says so (there is no
// live recording yet: nobody has recorded against the real API).
func TestRecordingsProvenance(t *testing.T) {
	for _, c := range loadRecordings(t) {
		switch c.Provenance {
		case cassette.ProvenanceXinkDocs:
			if c.Name != "token" && c.Name != "discovery" {
				t.Errorf("%s claims xink-docs provenance; only token and discovery reproduce documented examples", c.Name)
			}
		case cassette.ProvenanceSynthetic:
			if !strings.HasPrefix(c.Description, "SYNTHETIC") {
				t.Errorf("%s is synthetic but its description does not say so first: %q", c.Name, c.Description)
			}
		case cassette.ProvenanceLive:
			t.Logf("%s is a live recording", c.Name)
		}
	}
	for _, name := range []string{"token", "discovery"} {
		c, err := cassette.Load(filepath.Join(recordingsDir, name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		if c.Provenance != cassette.ProvenanceXinkDocs && c.Provenance != cassette.ProvenanceLive {
			t.Errorf("%s: provenance %q, want xink-docs (or live)", name, c.Provenance)
		}
	}
	d, _ := cassette.Load(filepath.Join(recordingsDir, "discovery.json"))
	if d != nil && d.Provenance == cassette.ProvenanceXinkDocs {
		last := d.Interactions[len(d.Interactions)-1]
		if !bytes.Equal(last.Response.JSON, []byte(docsDiscoveryResponse)) {
			t.Errorf("discovery.json does not reproduce the documented EU example:\n got %s\nwant %s", last.Response.JSON, docsDiscoveryResponse)
		}
	}
}

// mutateEmployeeList returns a copy of the employees_list recording in which
// the listEmployees answer has every employee's JobTitle renamed to
// "Position" and Total turned into a string.
func mutateEmployeeList(t *testing.T, rename, retype bool) *cassette.Cassette {
	t.Helper()
	c, err := cassette.Load(filepath.Join(recordingsDir, "employees_list.json"))
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for i, in := range c.Interactions {
		if in.OperationID != "listEmployees" || in.Response.Status != http.StatusOK {
			continue
		}
		var body map[string]any
		if err := json.Unmarshal(in.Response.JSON, &body); err != nil {
			t.Fatal(err)
		}
		emps, _ := body["Employees"].([]any)
		for _, e := range emps {
			m := e.(map[string]any)
			if v, ok := m["JobTitle"]; ok && rename {
				m["Position"] = v
				delete(m, "JobTitle")
				found = true
			}
		}
		if retype {
			body["Total"] = fmt.Sprint(body["Total"])
			found = true
		}
		data, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		c.Interactions[i].Response.JSON = data
	}
	if (rename || retype) && !found {
		t.Fatal("employees_list.json has no listEmployees answer with JobTitle and Total to mutate")
	}
	return c
}

// TestRenamedAndRetypedFieldsAreCaught is the acceptance test: a recording
// with one response field renamed and another's type changed fails
// conformance, and the drift report names both fields and the operation.
func TestRenamedAndRetypedFieldsAreCaught(t *testing.T) {
	if p := conformance(t, mutateEmployeeList(t, false, false)); len(p) != 0 {
		t.Fatalf("the unmutated recording should conform: %v", p)
	}
	renamed := conformance(t, mutateEmployeeList(t, true, false))
	if !containsAll(renamed, "listEmployees", "Position") {
		t.Errorf("renamed field: conformance problems %v; want one naming listEmployees and Position", renamed)
	}
	retyped := conformance(t, mutateEmployeeList(t, false, true))
	if !containsAll(retyped, "listEmployees", "Total") {
		t.Errorf("retyped field: conformance problems %v; want one naming listEmployees and Total", retyped)
	}

	both := mutateEmployeeList(t, true, true)
	if p := conformance(t, both); len(p) == 0 {
		t.Error("conformance passed a recording with a renamed and a retyped field")
	}
	rep := conform.Drift(loadSpec(t), []*cassette.Cassette{both})
	if !rep.HasDrift() {
		t.Fatal("the drift report found nothing")
	}
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	want := []struct{ kind, path string }{
		{conform.KindUnknownField, "EmployeeListResult.Employees[].Position"},
		{conform.KindTypeMismatch, "EmployeeListResult.Total"},
	}
	for _, w := range want {
		found := false
		for _, f := range rep.Findings {
			if f.Operation == "listEmployees" && f.Kind == w.kind && f.Path == w.path {
				found = true
			}
		}
		if !found {
			t.Errorf("drift report lacks %q at %s for listEmployees:\n%s", w.kind, w.path, text.String())
		}
		if !strings.Contains(text.String(), w.path) {
			t.Errorf("drift text does not name %s:\n%s", w.path, text.String())
		}
	}
	// The renamed field's old name is listed as declared but never seen: the hint that it is a rename.
	hint := false
	for _, f := range rep.Unseen {
		hint = hint || (f.Operation == "listEmployees" && f.Path == "EmployeeListResult.Employees[].JobTitle")
	}
	if !hint {
		t.Errorf("unseen list lacks EmployeeListResult.Employees[].JobTitle: %+v", rep.Unseen)
	}
	if !strings.Contains(text.String(), "listEmployees  GET /api/1.0/employee/list") {
		t.Errorf("drift text does not name the operation and route:\n%s", text.String())
	}
	t.Logf("drift report for the mutated recording:\n%s", text.String())
}

func containsAll(lines []string, subs ...string) bool {
	for _, l := range lines {
		ok := true
		for _, s := range subs {
			ok = ok && strings.Contains(l, s)
		}
		if ok {
			return true
		}
	}
	return false
}

// TestDriftCleanOnRecordings: the committed recordings agree with the spec.
func TestDriftCleanOnRecordings(t *testing.T) {
	rep := conform.Drift(loadSpec(t), loadRecordings(t))
	if rep.HasDrift() {
		var b bytes.Buffer
		_ = rep.WriteText(&b)
		t.Errorf("drift between the recordings and the spec:\n%s", b.String())
	}
}
