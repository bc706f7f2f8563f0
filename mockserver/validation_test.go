package mockserver_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

func TestRequestValidation(t *testing.T) {
	m, tok := start(t)
	tests := []struct {
		name, method, path string
		body               any
		want               int
		mention            []string
	}{
		{"malformed JSON", "POST", "/api/1.0/employee", `{"Email": "x@example.com",`, 400, []string{"request body"}},
		{"wrong type", "POST", "/api/1.0/employee", `{"Email": 42}`, 400, []string{"Email", "string"}},
		{"missing required field", "POST", "/api/1.0/employee", `{"FirstName": "Zoë"}`, 400, []string{`"Email"`, "missing"}},
		{"nested field", "PUT", "/api/1.0/employee/zoe.ostergaard@example.com/fields", `{"Fields":[{"Value":"x"}]}`, 400, []string{"Name", "missing"}},
		{"empty array", "PUT", "/api/1.0/employee/zoe.ostergaard@example.com/fields", `{"Fields":[]}`, 400, []string{"Fields"}},
		{"enum", "POST", "/api/1.0/managedaccounts", `{"Name":"X","DataCenterID":"MARS"}`, 400, []string{"DataCenterID"}},
		{"boolean", "PUT", "/api/1.0/rerouting/zoe.ostergaard@example.com", `{"Enabled":"yes"}`, 400, []string{"Enabled", "boolean"}},
		{"limit too large", "GET", "/api/1.0/employee/list/0/501", nil, 400, []string{`"limit"`}},
		{"limit zero", "GET", "/api/1.0/employee/list/0/0", nil, 400, []string{`"limit"`}},
		{"offset not a number", "GET", "/api/1.0/employee/list/x/10", nil, 400, []string{`"offset"`}},
		{"id not a number", "GET", "/api/1.0/signature/abc", nil, 400, []string{`"signatureId"`}},
		{"empty update", "PUT", "/api/1.0/signature/1", `{}`, 400, []string{"request body"}},
		{"not JSON content", "POST", "/api/1.0/signature", "Name=x", 400, []string{"Content-Type"}},
		{"unknown route", "GET", "/api/1.0/nothing/here", nil, 404, []string{"no operation"}},
		{"wrong method", "PATCH", "/api/1.0/employee/list", nil, 405, []string{"PATCH"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := api(t, m, tok, tc.method, tc.path, tc.body)
			if tc.name == "not JSON content" {
				req, _ := http.NewRequest(tc.method, m.URL+tc.path, strings.NewReader("Name=x"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.Header.Set("Authorization", "Bearer "+tok)
				r = send(t, req)
			}
			wantStatus(t, r, tc.want)
			msg := r.errText(t)
			for _, w := range tc.mention {
				if !strings.Contains(msg, w) {
					t.Errorf("Error %q does not mention %q", msg, w)
				}
			}
		})
	}
	// Auth comes before validation: a bad body without a token is a 401.
	wantStatus(t, api(t, m, "", "POST", "/api/1.0/employee", `{`), 401)
}

// TestBodyTooLarge: createEmployee declares no 413, so an oversized JSON body is a 400 that
// names the cap (strict mode would flag an undeclared 413).
func TestBodyTooLarge(t *testing.T) {
	m, tok := start(t)
	big := `{"Email":"x@example.com","FirstName":"` + strings.Repeat("a", 2<<20) + `"}`
	r := api(t, m, tok, "POST", "/api/1.0/employee", big)
	wantStatus(t, r, 400)
	if msg := r.errText(t); !strings.Contains(msg, "larger than 1048576 bytes") {
		t.Errorf("Error %q does not name the cap", msg)
	}
}

func TestFaults(t *testing.T) {
	m, tok := start(t)
	t.Run("429 with Retry-After, twice", func(t *testing.T) {
		if err := m.Server.AddFault(mockserver.Fault{Operation: "listEmployeesPage", Status: 429, RetryAfter: 3 * time.Second, Times: 2}); err != nil {
			t.Fatal(err)
		}
		for range 2 {
			r := api(t, m, tok, "GET", "/api/1.0/employee/list/0/5", nil)
			wantStatus(t, r, 429)
			if r.Header.Get("Retry-After") != "3" {
				t.Errorf("Retry-After %q", r.Header.Get("Retry-After"))
			}
		}
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/list/0/5", nil), 200)
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/list", nil), 200) // other operation untouched
	})
	t.Run("503 on every operation until cleared", func(t *testing.T) {
		if err := m.Server.AddFault(mockserver.Fault{Status: 503}); err != nil {
			t.Fatal(err)
		}
		wantStatus(t, api(t, m, tok, "GET", "/Discovery", nil), 503)
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/signature/list", nil), 503)
		m.Server.ClearFaults()
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/signature/list", nil), 200)
	})
	t.Run("latency", func(t *testing.T) {
		if err := m.Server.AddFault(mockserver.Fault{Operation: "getAccountInfo", Latency: 150 * time.Millisecond, Times: 1}); err != nil {
			t.Fatal(err)
		}
		t0 := time.Now()
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/account/info", nil), 200)
		if d := time.Since(t0); d < 150*time.Millisecond {
			t.Errorf("answered after %v, before the injected 150ms", d)
		}
	})
	t.Run("dropped connection", func(t *testing.T) {
		if err := m.Server.AddFault(mockserver.Fault{Operation: "getEmployee", Drop: true, Times: 1}); err != nil {
			t.Fatal(err)
		}
		tr := &http.Transport{DisableKeepAlives: true}
		defer tr.CloseIdleConnections()
		req := mustReq(t, "GET", m.URL+"/api/1.0/employee/zoe.ostergaard@example.com")
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := (&http.Client{Transport: tr}).Do(req)
		if err == nil {
			_, _ = io.Copy(io.Discard, resp.Body)
			_ = resp.Body.Close()
			t.Fatalf("got status %d, want the connection dropped", resp.StatusCode)
		}
		if !errors.Is(err, io.EOF) && !strings.Contains(err.Error(), "EOF") && !strings.Contains(err.Error(), "reset") {
			t.Logf("error (accepted): %v", err)
		}
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/zoe.ostergaard@example.com", nil), 200)
		dropped := 0
		for _, e := range m.Server.Journal() {
			if e.OperationID == "getEmployee" && e.Status == 0 {
				dropped++
			}
		}
		if dropped != 1 {
			t.Errorf("journal shows %d dropped getEmployee requests, want 1", dropped)
		}
	})
	t.Run("token endpoint faults keep RFC 6749 bodies", func(t *testing.T) {
		for _, st := range []int{400, 401, 429, 500} {
			if err := m.Server.AddFault(mockserver.Fault{Operation: "getToken", Status: st, Times: 1}); err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest("POST", m.URL+"/OAuth/Token", strings.NewReader("grant_type=client_credentials"))
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			r := send(t, req)
			wantStatus(t, r, st)
			if b := r.json(t); (st == 400 || st == 401) && b["error"] == nil || (st >= 429) && b["Success"] != false {
				t.Errorf("%d: body %s", st, r.Body)
			}
		}
		if v := m.Server.StrictViolations(); len(v) > 0 {
			t.Errorf("strict violations: %v", v)
		}
	})
	t.Run("invalid faults", func(t *testing.T) {
		for _, f := range []mockserver.Fault{{Operation: "noSuchOp", Status: 500}, {Status: 200}, {Operation: "getEmployee"}, {Status: 500, Times: -1}} {
			if err := m.Server.AddFault(f); err == nil {
				t.Errorf("AddFault(%+v) accepted", f)
			}
		}
	})
}

func TestPreferCode(t *testing.T) {
	m, tok := start(t)
	r := api(t, m, tok, "GET", "/api/1.0/employee/zoe.ostergaard@example.com", nil, "Prefer", "code=404")
	wantStatus(t, r, 404)
	if got := r.errText(t); got != `employee "nobody@example.com" not found` { // the spec's example
		t.Errorf("Error %q", got)
	}
	r = api(t, m, tok, "GET", "/api/1.0/employee/list", nil, "Prefer", "code=429")
	wantStatus(t, r, 429)
	if r.Header.Get("Retry-After") == "" {
		t.Error("no Retry-After on Prefer: code=429")
	}
	r = api(t, m, tok, "GET", "/api/1.0/employee/list", nil, "Prefer", "code=200")
	wantStatus(t, r, 200)
	if r.json(t)["Total"] != float64(25) { // the spec's example, not live data
		t.Errorf("Prefer: code=200 body %s", r.Body)
	}
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/list", nil, "Prefer", "code=418"), 400)
	// Auth still comes first.
	wantStatus(t, api(t, m, "", "GET", "/api/1.0/employee/zoe.ostergaard@example.com", nil, "Prefer", "code=404"), 401)
	// The real data was not touched by a preferred 200 on a write.
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/employee/zoe.ostergaard@example.com", nil, "Prefer", "code=200"), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/zoe.ostergaard@example.com", nil), 200)
}

func TestPanicBecomes500(t *testing.T) {
	clock := func() time.Time { panic("clock exploded") }
	m := mocktest.Start(t, mockserver.WithClock(clock))
	// The token endpoint reads the clock: the panic must become a 500 envelope, not a dropped connection.
	form := "grant_type=client_credentials&client_id=" + m.ClientID + "&client_secret=" + m.ClientSecret
	for range 2 {
		req, _ := http.NewRequest("POST", m.URL+"/OAuth/Token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		r := send(t, req)
		wantStatus(t, r, 500)
		if !strings.Contains(r.errText(t), "panicked") {
			t.Errorf("body %s", r.Body)
		}
	}
}

// TestPreferEveryDeclaredStatus asks every operation for each of its declared statuses: the
// answer must have that status, and (strict mode) match the spec, examples included.
func TestPreferEveryDeclaredStatus(t *testing.T) {
	m, tok := start(t)
	n := 0
	for _, op := range specOperations(t) {
		for _, code := range declaredStatuses(t, op.id) {
			var r reply
			switch op.id {
			case "getToken": // the client authenticates first, whatever it prefers
				req, _ := http.NewRequest("POST", m.URL+"/OAuth/Token", strings.NewReader("grant_type=client_credentials"))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				req.SetBasicAuth(m.ClientID, m.ClientSecret)
				req.Header.Set("Prefer", fmt.Sprintf("code=%d", code))
				r = send(t, req)
			case "uploadImage": // a valid request: validation comes before Prefer
				var buf bytes.Buffer
				mw := multipart.NewWriter(&buf)
				fw, _ := mw.CreateFormFile("file", "pixel.png")
				_, _ = fw.Write(tinyPNG)
				_ = mw.Close()
				req, _ := http.NewRequest("POST", m.URL+"/api/1.0/image/upload", &buf)
				req.Header.Set("Content-Type", mw.FormDataContentType())
				req.Header.Set("Authorization", "Bearer "+tok)
				req.Header.Set("Prefer", fmt.Sprintf("code=%d", code))
				r = send(t, req)
			default:
				r = api(t, m, tok, op.method, op.examplePath, op.exampleBody, "Prefer", fmt.Sprintf("code=%d", code))
			}
			if r.Status != code {
				t.Errorf("%s Prefer: code=%d: status %d: %s", op.id, code, r.Status, r.Body)
			}
			n++
		}
	}
	if n < 150 {
		t.Errorf("only %d (operation, status) pairs tried", n)
	}
}

func declaredStatuses(t *testing.T, opID string) []int {
	t.Helper()
	var out []int
	for _, pi := range loadSpec(t).Paths.Map() {
		for _, op := range pi.Operations() {
			if op.OperationID != opID {
				continue
			}
			for k := range op.Responses.Map() {
				var c int
				if _, err := fmt.Sscanf(k, "%d", &c); err == nil {
					out = append(out, c)
				}
			}
		}
	}
	return out
}

// TestEncodedLiteralSegment: a percent-encoded unreserved character is the
// character (RFC 3986 6.2.2.2), so /employee/%6Cist is /employee/list. The
// validator and the dispatcher must agree on that operation (pitfalls row 3:
// gorillamux alone would validate it as getEmployee with email "%6Cist").
func TestEncodedLiteralSegment(t *testing.T) {
	m := mocktest.Start(t)
	tok := tokenFor(t, m)
	m.Server.ClearJournal()
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/%6Cist", nil), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/%6Cist/fields", nil), 404) // email "list"
	var ops []string
	for _, e := range m.Server.Journal() {
		ops = append(ops, e.OperationID)
	}
	if want := []string{"listEmployees", "getEmployeeFields"}; !slices.Equal(ops, want) {
		t.Errorf("journal operations = %q, want %q", ops, want)
	}
}
