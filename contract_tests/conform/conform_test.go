package conform

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func mustSpec(t *testing.T) *Spec {
	t.Helper()
	s, err := LoadSpec()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestSpecRoutesEveryOperationWithoutHosts(t *testing.T) {
	s := mustSpec(t)
	if n := len(s.Operations()); n != 33 {
		t.Errorf("spec has %d operations, want 33", n)
	}
	cases := map[string][2]string{
		"getToken":          {"POST", "/OAuth/Token"},
		"getDiscovery":      {"GET", "/Discovery"},
		"listEmployees":     {"GET", "/api/1.0/employee/list"},
		"listEmployeesPage": {"GET", "/api/1.0/employee/list/0/50"},
		"getEmployee":       {"GET", "/api/1.0/employee/a.b+c@example.com"},
		"getEmployeeFields": {"GET", "/api/1.0/employee/%C3%BC@example.com/fields"},
		"deleteSignature":   {"DELETE", "/api/1.0/signature/4"},
	}
	for want, mp := range cases {
		if got := s.OperationID(mp[0], mp[1]); got != want {
			t.Errorf("OperationID(%s %s) = %q, want %q", mp[0], mp[1], got, want)
		}
	}
	for _, op := range s.Operations() {
		if !HasParser(op.ID) {
			t.Errorf("operation %s has no generated response parser", op.ID)
		}
		if op.Provenance == "" {
			t.Errorf("operation %s has no x-xink-provenance", op.ID)
		}
	}
	if got := s.OperationID("GET", "/api/1.0/nothing/here"); got != "" {
		t.Errorf("unknown route matched %q", got)
	}
}

func TestValidateResponseOnRawBytes(t *testing.T) {
	s := mustSpec(t)
	ctx := context.Background()
	h := http.Header{"Content-Type": {"application/json"}}
	ok := `{"Success":true,"Total":1,"Offset":0,"Limit":500,"Employees":[{"Email":"a@example.com","FirstName":null}]}`
	if err := s.ValidateResponse(ctx, "GET", "/api/1.0/employee/list", "", 200, h, []byte(ok)); err != nil {
		t.Errorf("valid response rejected: %v", err)
	}
	bad := map[string]struct {
		status int
		body   string
		want   string
	}{
		// Go's encoding/json would decode this camelCase body happily (pitfalls row 18).
		"camelCase":         {200, `{"success":true}`, `property "Success" is missing`},
		"wrong type":        {200, `{"Success":true,"Total":"1"}`, "Total"},
		"undeclared status": {404, `{"Success":false,"Error":"x"}`, "status"},
	}
	for name, tc := range bad {
		err := s.ValidateResponse(ctx, "GET", "/api/1.0/employee/list", "", tc.status, h, []byte(tc.body))
		if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "listEmployees") {
			t.Errorf("%s: err = %v; want an error naming listEmployees and %q", name, err, tc.want)
		}
	}
}

func TestDecodeReencode(t *testing.T) {
	h := http.Header{"Content-Type": {"application/json"}}
	good := `{"Success":true,"Employee":{"Email":"a@example.com","FirstName":null,"JobTitle":"CFO"},"Error":null}`
	if err := DecodeReencode("getEmployee", 200, h, []byte(good)); err != nil {
		t.Errorf("lossless body rejected: %v", err)
	}
	renamed := `{"Success":true,"Employee":{"Email":"a@example.com","JobTitel":"CFO"}}`
	err := DecodeReencode("getEmployee", 200, h, []byte(renamed))
	if err == nil || !strings.Contains(err.Error(), "JobTitel") {
		t.Errorf("renamed field: err = %v; want a diff naming JobTitel", err)
	}
	if err := DecodeReencode("getEmployee", 200, h, []byte(`{"Success":"yes"}`)); err == nil {
		t.Error("a string Success decoded into bool without error")
	}
	if err := DecodeReencode("getToken", 400, h, []byte(`{"error":"invalid_scope","error_description":null}`)); err != nil {
		t.Errorf("OAuth error: %v", err)
	}
}

func TestShapeDiffNamesJSONPaths(t *testing.T) {
	want := `{"Success":true,"Total":3,"Employees":[{"Email":"a","Phone":"1"},{"Email":"b","Phone":null}],"Error":null}`
	got := `{"Success":false,"Total":"3","Employees":[{"Email":"z"}],"Error":"boom","Extra":1}`
	lines := ShapeDiff([]byte(want), []byte(got))
	wantLines := []string{
		"$.Employees[].Phone: only in want (string)",
		"$.Extra: only in got (number)",
		"$.Total: type number in want, string in got",
	}
	if diff := cmp.Diff(wantLines, lines); diff != "" {
		t.Errorf("ShapeDiff lines (-want +got):\n%s", diff)
	}
	if lines := ShapeDiff([]byte(`{"A":null,"B":[]}`), []byte(`{"A":"x","B":[{"C":1}]}`)); len(lines) != 0 {
		t.Errorf("null and empty arrays should match any shape, got %v", lines)
	}
}
