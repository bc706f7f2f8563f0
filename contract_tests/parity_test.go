package contracttests

import (
	"net/http"
	"strings"
	"testing"

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
