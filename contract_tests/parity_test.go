package contracttests

import (
	"bytes"
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/contract_tests/cassette"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

// TestParityRecordingsAgainstMock replays every recorded request against a
// fresh mock: same status, same JSON shape.
func TestParityRecordingsAgainstMock(t *testing.T) {
	for _, c := range loadRecordings(t) {
		t.Run(c.Name, func(t *testing.T) {
			t.Parallel()
			m := mocktest.Start(t)
			mm, err := Parity(t.Context(), c, ParityTarget{BaseURL: m.URL, ClientID: m.ClientID, ClientSecret: m.ClientSecret,
				HTTP: &http.Client{CheckRedirect: NoRedirect}})
			if err != nil {
				t.Fatal(err)
			}
			for _, x := range mm {
				t.Errorf("parity: %s", x)
			}
		})
	}
}

// TestParityNamesTheJSONPath: a recording whose shape differs from the mock's
// answer gives a readable difference naming the operation and JSON path.
func TestParityNamesTheJSONPath(t *testing.T) {
	m := mocktest.Start(t)
	c := mutateEmployeeList(t, true, true)
	mm, err := Parity(t.Context(), c, ParityTarget{BaseURL: m.URL, ClientID: m.ClientID, ClientSecret: m.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	var lines []string
	for _, x := range mm {
		lines = append(lines, x.String())
	}
	text := strings.Join(lines, "\n")
	for _, want := range []string{
		"employees_list#2 listEmployees: shape $.Employees[].Position: only recorded (string)",
		"employees_list#2 listEmployees: shape $.Employees[].JobTitle: only from the target (string)",
		"employees_list#2 listEmployees: shape $.Total: type string recorded, number from the target",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("parity output lacks %q; got:\n%s", want, text)
		}
	}
	if len(mm) != 3 {
		t.Errorf("%d differences, want 3:\n%s", len(mm), text)
	}

	// A status difference is reported too: the recording says 200, the mock answers 404.
	c = mutateEmployeeList(t, false, false)
	for i := range c.Interactions {
		if c.Interactions[i].OperationID == "listEmployeesPage" {
			c.Interactions[i].Request.Path = "/api/1.0/employee/nobody@example.com"
			c.Interactions[i].OperationID = "getEmployee"
		}
	}
	mm, err = Parity(t.Context(), c, ParityTarget{BaseURL: m.URL, ClientID: m.ClientID, ClientSecret: m.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	if len(mm) != 1 || !strings.Contains(mm[0].String(), "status 404 from the target, 200 recorded") {
		t.Errorf("status difference: %v", mm)
	}
}

// TestParityMapsServerAssignedIDs: a recording made against a server that
// assigned other ids (as the real API will) still replays against the mock:
// the id from the recorded creation is mapped to the mock's in later paths.
func TestParityMapsServerAssignedIDs(t *testing.T) {
	data, err := os.ReadFile(filepath.Join(recordingsDir, "managed_accounts.json"))
	if err != nil {
		t.Fatal(err)
	}
	c := &cassette.Cassette{}
	if err := json.Unmarshal(data, c); err != nil {
		t.Fatal(err)
	}
	var created string
	for _, in := range c.Interactions {
		if in.OperationID == "createManagedAccount" {
			var body struct{ Account struct{ AccountId string } }
			if err := json.Unmarshal(in.Response.JSON, &body); err != nil {
				t.Fatal(err)
			}
			created = body.Account.AccountId
		}
	}
	if created == "" {
		t.Fatal("managed_accounts.json has no createManagedAccount answer")
	}
	const other = "0b5d2c1e-9f7a-4c3b-8e6d-5a4f3e2d1c0b"
	data = bytes.ReplaceAll(data, []byte(created), []byte(other))
	c = &cassette.Cassette{}
	if err := json.Unmarshal(data, c); err != nil {
		t.Fatal(err)
	}
	m := mocktest.Start(t)
	mm, err := Parity(t.Context(), c, ParityTarget{BaseURL: m.URL, ClientID: m.ClientID, ClientSecret: m.ClientSecret})
	if err != nil {
		t.Fatal(err)
	}
	for _, x := range mm {
		t.Errorf("parity with a foreign id: %s", x)
	}
	var paths []string
	for _, e := range m.Server.Journal() {
		paths = append(paths, e.Method+" "+e.Path)
	}
	if !slices.Contains(paths, "GET /api/1.0/managedaccounts/"+created) || slices.Contains(paths, "GET /api/1.0/managedaccounts/"+other) {
		t.Errorf("the recorded id was not mapped to the mock's; requests: %v", paths)
	}
}
