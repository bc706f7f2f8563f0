package mockserver_test

import (
	"encoding/json"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/xink-go/xink-go/generated/xinkserver"
	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

func control(t *testing.T, m *mocktest.Mock, method, path, body string) reply {
	t.Helper()
	req, _ := http.NewRequest(method, m.URL+"/_mock/"+path, strings.NewReader(body))
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	return send(t, req)
}

func TestControlAPI(t *testing.T) {
	m, tok := start(t)
	wantStatus(t, control(t, m, "GET", "health", ""), 200)

	// Reset puts the data back; the token keeps working.
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/employee/zoe.ostergaard@example.com", nil), 200)
	wantStatus(t, control(t, m, "POST", "reset", ""), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/zoe.ostergaard@example.com", nil), 200)

	// State dump in the seed format.
	r := control(t, m, "GET", "state", "")
	wantStatus(t, r, 200)
	var st mockserver.State
	if err := json.Unmarshal(r.Body, &st); err != nil || len(st.Data.Accounts) != 2 || len(st.Data.Accounts[0].Employees) != 25 {
		t.Fatalf("state: %v, %d accounts", err, len(st.Data.Accounts))
	}

	// Faults over HTTP.
	wantStatus(t, control(t, m, "POST", "faults", `{"Operation":"listImages","Status":503,"Times":1}`), 200)
	wantStatus(t, control(t, m, "POST", "faults", `{"Operation":"nope","Status":503}`), 400)
	wantStatus(t, control(t, m, "POST", "faults", `{"Operation":"listImages","Status":503,"Bogus":1}`), 400)
	if !strings.Contains(string(control(t, m, "GET", "faults", "").Body), "listImages") {
		t.Error("fault not listed")
	}
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/image/list", nil), 503)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/image/list", nil), 200)
	wantStatus(t, control(t, m, "POST", "faults", `{"Status":500}`), 200)
	wantStatus(t, control(t, m, "DELETE", "faults", ""), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/image/list", nil), 200)

	// Clock and revocation over HTTP.
	tok2 := tokenFor(t, m)
	wantStatus(t, control(t, m, "POST", "tokens/revoke", `{"Token":"`+tok2+`"}`), 200)
	wantStatus(t, api(t, m, tok2, "GET", "/Discovery", nil), 401)
	wantStatus(t, control(t, m, "POST", "tokens/revoke", `{"Token":"`+tok2+`"}`), 404)
	wantStatus(t, control(t, m, "POST", "clock/advance", `{"Seconds":7201}`), 200)
	wantStatus(t, api(t, m, tok, "GET", "/Discovery", nil), 401)
	tok3 := tokenFor(t, m)
	wantStatus(t, control(t, m, "POST", "tokens/revoke", `{"All":true}`), 200)
	wantStatus(t, api(t, m, tok3, "GET", "/Discovery", nil), 401)

	// The journal names operations and clients, never tokens or secrets.
	r = control(t, m, "GET", "journal", "")
	wantStatus(t, r, 200)
	for _, secret := range []string{tok, tok2, tok3, m.ClientSecret} {
		if strings.Contains(string(r.Body), secret) {
			t.Fatal("journal contains a token or a secret")
		}
	}
	var j struct{ Entries []mockserver.JournalEntry }
	_ = json.Unmarshal(r.Body, &j)
	ops := map[string]bool{}
	for _, e := range j.Entries {
		ops[e.OperationID] = true
	}
	if !ops["getToken"] || !ops["deleteEmployee"] || !ops["listImages"] {
		t.Errorf("journal operations %v", ops)
	}
	wantStatus(t, control(t, m, "DELETE", "journal", ""), 200)
	wantStatus(t, control(t, m, "GET", "nothing", ""), 404)
	// SyncRoot and TrackingRoot are declared but not emulated.
	wantStatus(t, send(t, mustReq(t, "GET", m.URL+"/sync/x")), 501)
}

func TestStatePersistence(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "state.json")
	m1, tok := start(t)
	wantStatus(t, api(t, m1, tok, "POST", "/api/1.0/employee", map[string]any{"Email": "persist@example.com", "FirstName": "Pérsist"}), 200)
	wantStatus(t, api(t, m1, tok, "DELETE", "/api/1.0/employee/zoe.ostergaard@example.com", nil), 200)
	wantStatus(t, upload(t, m1, tok, "a.png", "image/png", tinyPNG, ""), 200)
	if err := m1.Server.WriteStateFile(file); err != nil {
		t.Fatal(err)
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp-*")); len(left) != 0 {
		t.Errorf("temporary files left: %v", left)
	}
	st, err := mockserver.ReadStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	m2 := mocktest.Start(t, mockserver.WithState(st))
	// The old token still works against the restarted mock; the data is as it was.
	wantStatus(t, api(t, m2, tok, "GET", "/api/1.0/employee/persist@example.com", nil), 200)
	wantStatus(t, api(t, m2, tok, "GET", "/api/1.0/employee/zoe.ostergaard@example.com", nil), 404)
	imgs := api(t, m2, tok, "GET", "/api/1.0/image/list", nil).json(t)["Images"].([]any)
	if len(imgs) != 3 {
		t.Fatalf("%d images after restart", len(imgs))
	}
	// Id counters survive too.
	r := upload(t, m2, tok, "b.png", "image/png", tinyPNG, "")
	if id := r.json(t)["Image"].(map[string]any)["Id"]; id != float64(4) {
		t.Errorf("next image id %v, want 4", id)
	}
	// Reset goes back to the seed, not to the state.
	m2.Server.Reset()
	wantStatus(t, api(t, m2, tok, "GET", "/api/1.0/employee/zoe.ostergaard@example.com", nil), 200)
	// A corrupt or wrong-version state is refused.
	_ = os.WriteFile(file, []byte(`{"Version":99}`), 0o600)
	bad, err := mockserver.ReadStateFile(file)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := mockserver.New(mockserver.WithState(bad)); err == nil {
		t.Error("version 99 state accepted")
	}
}

// TestSeedMatchesSchemas validates every item of the embedded seed against the spec's schemas,
// as the mock will serve it.
func TestSeedMatchesSchemas(t *testing.T) {
	spec := loadSpec(t)
	schema := func(name string) *openapi3.Schema { return spec.Components.Schemas[name].Value }
	check := func(what, name string, v any) {
		t.Helper()
		b, _ := json.Marshal(v)
		var doc any
		_ = json.Unmarshal(b, &doc)
		if err := schema(name).VisitJSON(doc); err != nil {
			t.Errorf("%s does not match %s: %v", what, name, err)
		}
	}
	seed := mockserver.DefaultSeed()
	if len(seed.Accounts) != 2 || len(seed.Accounts[0].Employees) != 25 || len(seed.Accounts[0].Signatures) != 3 || len(seed.Accounts[0].SharedMailboxes) != 2 || len(seed.Accounts[0].Images) != 2 || len(seed.Accounts[1].ManagedAccounts) != 2 {
		t.Fatal("the embedded seed lost items")
	}
	for _, a := range seed.Accounts {
		for _, e := range a.Employees {
			emp := xinkserver.Employee{Email: e.Email}
			for _, p := range []struct {
				dst *nullableStr
				v   string
			}{{&emp.FirstName, e.FirstName}, {&emp.LastName, e.LastName}, {&emp.DisplayName, e.DisplayName}, {&emp.JobTitle, e.JobTitle}, {&emp.Department, e.Department}} {
				if p.v != "" {
					p.dst.Set(p.v)
				}
			}
			check("employee "+e.Email, "Employee", emp)
			for _, f := range e.Fields {
				fv := xinkserver.FieldValue{Name: f.Name}
				if f.Value != nil {
					fv.Value.Set(*f.Value)
				} else {
					fv.Value.SetNull()
				}
				check("field "+f.Name, "FieldValue", fv)
			}
		}
		for _, s := range a.Signatures {
			check("signature", "SignatureRequest", map[string]any{"Name": s.Name, "Html": s.Html, "PlainText": s.PlainText})
			check("signature", "Signature", map[string]any{"Id": s.Id, "Name": s.Name, "Html": s.Html, "PlainText": s.PlainText, "Modified": s.Modified})
		}
		for _, im := range a.Images {
			check("image", "Image", map[string]any{"Id": im.Id, "Name": im.Name, "ContentType": im.ContentType, "Size": len(im.Data), "Created": im.Created})
			if ct := http.DetectContentType(im.Data); ct != im.ContentType {
				t.Errorf("image %d: bytes are %s, declared %s", im.Id, ct, im.ContentType)
			}
		}
		for _, r := range a.Rerouting {
			check("rerouting", "ReroutingState", r)
		}
		for _, mb := range a.SharedMailboxes {
			check("mailbox", "SharedMailbox", mb)
			check("mailbox", "CreateSharedMailboxRequest", mb)
		}
		for _, ma := range a.ManagedAccounts {
			check("managed account", "ManagedAccount", ma)
			check("managed account", "CreateManagedAccountRequest", map[string]any{"Name": ma.Name, "DataCenterID": ma.DataCenterID, "AdminEmail": ma.AdminEmail})
		}
	}
	// And ParseSeed accepts its own output but names a broken reference.
	b, _ := json.Marshal(seed)
	if _, err := mockserver.ParseSeed(b); err != nil {
		t.Fatal(err)
	}
	seed.Accounts[0].Assignments[0].Email = "ghost@example.com"
	b, _ = json.Marshal(seed)
	if _, err := mockserver.ParseSeed(b); err == nil || !strings.Contains(err.Error(), "ghost@example.com") {
		t.Errorf("broken seed: %v", err)
	}
}

// BenchmarkStartupToFirst200 reports the time from nothing to the first 200 over HTTP:
// listen, New (embedded spec and seed parsed), serve, and one token request. ns/op is that
// time; the target is under 100 ms.
func BenchmarkStartupToFirst200(b *testing.B) {
	for b.Loop() {
		m := mocktest.Start(b)
		_ = tokenFor(b, m)
	}
}
