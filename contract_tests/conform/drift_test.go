package conform

import (
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/contract_tests/cassette"
)

func interaction(method, path string, status int, body string) cassette.Interaction {
	return cassette.Interaction{
		Request: cassette.Request{Method: method, Server: cassette.ServerRole(path), Path: path},
		Response: cassette.Response{Status: status, Headers: map[string][]string{"Content-Type": {"application/json"}},
			Body: cassette.Body{JSON: json.RawMessage(body)}},
	}
}

func TestDriftFindsEveryKind(t *testing.T) {
	s := mustSpec(t)
	c := &cassette.Cassette{Version: cassette.FormatVersion, Name: "x", Provenance: cassette.ProvenanceLive, Interactions: []cassette.Interaction{
		interaction("GET", "/api/1.0/account/info", 200, `{"Success":true,"AccountId":7,"Plan":"Pro","Domains":["a",3]}`),
		interaction("GET", "/api/1.0/employee/list", 404, `{"Success":false,"Error":"x"}`),
		interaction("GET", "/api/1.0/employee/list", 200, `{"Employees":[{"Email":"a@example.com","Phone":"+999 1"}]}`),
		interaction("GET", "/api/1.0/employee/list", 200, `{"Employees":[{"FirstName":"x"}]}`),
		interaction("GET", "/api/1.0/employee/list/0/10", 200, `{"Success":true,"Employees":[{"Email":"a@example.com"}]}`),
		interaction("POST", "/api/1.0/employee/archive", 200, `{"Success":true}`),
	}}
	c.Interactions[1].Response.Headers = map[string][]string{"Content-Type": {"application/json"}}
	c.Interactions = append(c.Interactions, interaction("GET", "/Discovery", 200, `{"Success":true}`))
	c.Interactions[6].Response.Headers = map[string][]string{"Content-Type": {"text/html"}}
	c.Interactions[6].Response.Body = cassette.Body{Text: "<html>"}

	rep := Drift(s, []*cassette.Cassette{c})
	var text bytes.Buffer
	if err := rep.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	want := []struct{ op, kind, path, detail string }{
		{"getAccountInfo", KindTypeMismatch, "AccountInfoResult.AccountId", "spec string"},
		{"getAccountInfo", KindUnknownField, "AccountInfoResult.Plan", ""},
		{"getAccountInfo", KindTypeMismatch, "AccountInfoResult.Domains[]", "spec string"},
		{"listEmployees", KindUndeclaredStatus, "", "status 404"},
		{"listEmployees", KindUnknownField, "EmployeeListResult.Employees[].Phone", ""},
		{"listEmployees", KindRequiredNeverSeen, "EmployeeListResult.Success", ""},
		{"getDiscovery", KindContentType, "", `"text/html"`},
		{"", KindUnknownRoute, "", "POST /api/1.0/employee/archive"},
	}
	for _, w := range want {
		found := false
		for _, f := range rep.Findings {
			if f.Operation == w.op && f.Kind == w.kind && f.Path == w.path && strings.Contains(f.Detail, w.detail) {
				found = true
			}
		}
		if !found {
			t.Errorf("no %q finding for %q at %q (%q):\n%s", w.kind, w.op, w.path, w.detail, text.String())
		}
	}
	// Email is required in Employee and missing from one list answer, but
	// seen in another: "never seen" means in no recorded object.
	for _, f := range rep.Findings {
		if f.Kind == KindRequiredNeverSeen && strings.HasSuffix(f.Path, ".Email") {
			t.Errorf("Email was seen, yet reported: %+v", f)
		}
		if f.Operation == "listEmployeesPage" {
			t.Errorf("a conforming answer was reported: %+v", f)
		}
	}
	if !rep.HasDrift() || len(rep.Findings) != len(want) {
		t.Errorf("%d findings, want %d:\n%s", len(rep.Findings), len(want), text.String())
	}
	if !strings.Contains(text.String(), "(routes the spec lacks)") {
		t.Errorf("text report lacks the unknown-routes block:\n%s", text.String())
	}
}
