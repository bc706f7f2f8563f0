package mockserver

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// TestCachedEncodingMatchesTypedEncoding: the answers assembled from cached
// JSON are byte for byte what the generated response types would encode.
func TestCachedEncodingMatchesTypedEncoding(t *testing.T) {
	st := newStore(DefaultSeed())
	a := st.accounts[0]
	typed := func(v any) []byte {
		var b bytes.Buffer
		if err := json.NewEncoder(&b).Encode(v); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	check := func(name string, got rawJSON, err error, want []byte) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.body, want) {
			t.Errorf("%s:\n cached %s\n  typed %s", name, got.body, want)
		}
	}

	for _, page := range [][2]int{{0, 3}, {20, 10}, {25, 5}} {
		lo, hi := min(page[0], len(a.emps)), min(page[0]+page[1], len(a.emps))
		views := make([]xinkserver.Employee, 0)
		for _, e := range a.emps[lo:hi] {
			views = append(views, e.view())
		}
		total := int32(len(a.emps))
		offset, limit := int32(page[0]), int32(page[1])
		got, err := employeePageJSON(len(a.emps), offset, limit, a.emps[lo:hi])
		check("page", got, err, typed(xinkserver.EmployeeListResult{Success: true, Total: &total, Offset: &offset, Limit: &limit, Employees: nval(views)}))
	}
	e := a.emps[0]
	got, err := employeeResultJSON(e)
	check("employee", got, err, typed(xinkserver.EmployeeResult{Success: true, Employee: ptr(e.view())}))
	got, err = employeeFieldsJSON(e)
	check("fields", got, err, typed(xinkserver.EmployeeFieldsResult{Success: true, Email: ptr(e.email), Fields: nval(e.fieldValues())}))

	// A change of a field drops the cache: the next encoding shows it.
	e.set("JobTitle", strPtr("Chief <Designer>"))
	got, err = employeeResultJSON(e)
	check("employee after set", got, err, typed(xinkserver.EmployeeResult{Success: true, Employee: ptr(e.view())}))
	if !bytes.Contains(got.body, []byte(`Chief \u003cDesigner\u003e`)) {
		t.Errorf("the changed JobTitle is not in %s", got.body)
	}
	got, err = employeeFieldsJSON(e)
	check("fields after set", got, err, typed(xinkserver.EmployeeFieldsResult{Success: true, Email: ptr(e.email), Fields: nval(e.fieldValues())}))
}

// TestCachedSignaturesFollowChanges: the cached rendering is byte-identical to
// the typed encoding and is redone after a template, assignment or field change.
func TestCachedSignaturesFollowChanges(t *testing.T) {
	st := newStore(DefaultSeed())
	a := st.accounts[0]
	var e *employee
	for _, x := range a.emps {
		if len(x.assignments) > 0 {
			e = x
			break
		}
	}
	if e == nil {
		t.Fatal("the seed has no employee with an assigned template")
	}
	want := func() []byte {
		var b bytes.Buffer
		if err := json.NewEncoder(&b).Encode(xinkserver.EmployeeSignaturesResult{Success: true, Email: ptr(e.email), Signatures: nval(renderedSignatures(a, e))}); err != nil {
			t.Fatal(err)
		}
		return b.Bytes()
	}
	check := func(step, mustContain string) {
		t.Helper()
		got, err := employeeSignaturesJSON(a, e)
		if err != nil {
			t.Fatal(err)
		}
		if w := want(); !bytes.Equal(got.body, w) {
			t.Errorf("%s:\n cached %s\n  typed %s", step, got.body, w)
		}
		if !bytes.Contains(got.body, []byte(mustContain)) {
			t.Errorf("%s: %q not in %s", step, mustContain, got.body)
		}
	}
	sg := a.sigs[e.assignments[0].sigID]
	check("first", sg.Name)

	sg.Html, sg.Name = "<i>((FirstName)) v2</i>", "Renamed"
	a.templatesChanged()
	check("template changed", "Renamed")

	e.set("FirstName", strPtr("Zed"))
	check("field changed", "Zed v2")

	e.assign(sg.Id, false, true)
	check("assignment changed", `"DefaultReply":true`)
}

// TestCachedTemplateList: the cached list is byte-identical to the typed
// encoding and follows creates, updates and deletes.
func TestCachedTemplateList(t *testing.T) {
	s := &Server{cfg: config{now: func() time.Time { return time.Date(2026, 12, 3, 16, 0, 0, 0, time.UTC) }}}
	a := newStore(DefaultSeed()).accounts[0]
	check := func(step string, wantCount int) {
		t.Helper()
		got, err := signatureListJSON(a)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		views := signatureViews(a)
		if err := json.NewEncoder(&b).Encode(xinkserver.SignatureListResult{Success: true, Signatures: nval(views)}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got.body, b.Bytes()) || len(views) != wantCount {
			t.Errorf("%s (%d templates, want %d):\n cached %s\n  typed %s", step, len(views), wantCount, got.body, b.Bytes())
		}
	}
	n := len(a.sigs)
	check("first", n)
	sg, msg := s.createTemplate(a, "Brand new", "<p>((FirstName))</p>", nullableString{})
	if sg == nil {
		t.Fatal(msg)
	}
	check("after create", n+1)
	sg.Name = "Renamed"
	a.templatesChanged()
	check("after update", n+1)
	delete(a.sigs, sg.Id)
	a.templatesChanged()
	check("after delete", n)
}
