package contracttests

import (
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// TestValidatingTransportCatchesNonConformingResponses: the transport used
// for every target must flag what the spec forbids.
func TestValidatingTransportCatchesNonConformingResponses(t *testing.T) {
	answers := map[string]struct {
		status int
		ctype  string
		body   string
	}{
		"/api/1.0/account/info":          {200, "application/json", `{"success":true}`},                 // camelCase (pitfalls row 18)
		"/api/1.0/employee/list":         {404, "application/json", `{"Success":false,"Error":"x"}`},    // undeclared status (row 19)
		"/api/1.0/rerouting/list":        {200, "application/json", `{"Success":true,"Reroute":[]}`},    // renamed field, lost on re-encode
		"/api/1.0/signature/list":        {200, "text/html", `<html>oops</html>`},                       // wrong content type
		"/api/1.0/image/list":            {200, "application/json", `{"Success":true,"Images":null}`},   // fine: nullable
		"/api/1.0/sharedmailbox/list":    {200, "application/json", `{"Success":true,"Error":null}`},    // fine: null Error kept
		"/api/1.0/managedaccounts/list":  {200, "application/json", `{"Success":true,"Accounts":[{}]}`}, // AccountId required
		"/api/1.0/not/in/the/spec":       {200, "application/json", `{"Success":true}`},                 // route the spec lacks
		"/api/1.0/employee/a@example.co": {200, "application/json", `{"Success":true,"Employee":{"Email":"a@example.co","FirstName":null}}`},
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		a := answers[r.URL.Path]
		w.Header().Set("Content-Type", a.ctype)
		w.WriteHeader(a.status)
		_, _ = io.WriteString(w, a.body)
	}))
	t.Cleanup(srv.Close)
	want := map[string]string{
		"/api/1.0/account/info":         `property "Success" is missing`,
		"/api/1.0/employee/list":        "does not declare status 404",
		"/api/1.0/rerouting/list":       "Reroute",
		"/api/1.0/signature/list":       "text/html",
		"/api/1.0/managedaccounts/list": "AccountId",
		"/api/1.0/not/in/the/spec":      "no operation in the spec",
	}
	for path := range answers {
		vt := NewValidatingTransport(loadSpec(t), http.DefaultTransport)
		resp, err := (&http.Client{Transport: vt}).Get(srv.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if string(b) != answers[path].body {
			t.Errorf("%s: the transport changed the body the caller sees: %q", path, b)
		}
		failures := strings.Join(vt.Failures(), "\n")
		switch w, bad := want[path]; {
		case bad && !strings.Contains(failures, w):
			t.Errorf("%s: failures %q; want one containing %q", path, failures, w)
		case !bad && failures != "":
			t.Errorf("%s: a conforming response was flagged: %s", path, failures)
		}
	}
}
