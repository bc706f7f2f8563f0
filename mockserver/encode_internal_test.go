package mockserver

import (
	"bytes"
	"encoding/json"
	"testing"

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
