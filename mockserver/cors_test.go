package mockserver_test

import (
	"net/http"
	"testing"

	"github.com/xink-go/xink-go/mockserver/mocktest"
)

func TestCORS(t *testing.T) {
	m := mocktest.Start(t)
	tok := tokenFor(t, m)
	const origin = "http://localhost:3000"

	// A preflight needs no token and touches no data.
	req, _ := http.NewRequest(http.MethodOptions, m.URL+"/api/1.0/employee/zoe.ostergaard@example.com/fields", nil)
	req.Header.Set("Origin", origin)
	req.Header.Set("Access-Control-Request-Method", "PUT")
	req.Header.Set("Access-Control-Request-Headers", "authorization,content-type")
	r := send(t, req)
	wantStatus(t, r, http.StatusNoContent)
	for k, want := range map[string]string{
		"Access-Control-Allow-Origin":  origin,
		"Access-Control-Allow-Methods": "GET, POST, PUT, DELETE",
		"Access-Control-Allow-Headers": "authorization, content-type",
		"Access-Control-Max-Age":       "600",
	} {
		if got := r.Header.Get(k); got != want {
			t.Errorf("preflight %s = %q, want %q", k, got, want)
		}
	}

	// A real request from that origin: allowed, and the challenge header is readable.
	r = api(t, m, "", "GET", "/Discovery", nil, "Origin", origin)
	wantStatus(t, r, http.StatusUnauthorized)
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != origin {
		t.Errorf("Access-Control-Allow-Origin = %q, want %q", got, origin)
	}
	if got := r.Header.Get("Access-Control-Expose-Headers"); got == "" {
		t.Error("Access-Control-Expose-Headers missing: a browser could not read WWW-Authenticate")
	}
	r = api(t, m, tok, "GET", "/api/1.0/employee/list/0/1", nil, "Origin", origin)
	wantStatus(t, r, http.StatusOK)
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != origin {
		t.Errorf("on a 200: Access-Control-Allow-Origin = %q, want %q", got, origin)
	}

	// Without an Origin header nothing changes, and OPTIONS is no API method.
	r = api(t, m, tok, "GET", "/api/1.0/employee/list/0/1", nil)
	if got := r.Header.Get("Access-Control-Allow-Origin"); got != "" {
		t.Errorf("no Origin: Access-Control-Allow-Origin = %q", got)
	}
	wantStatus(t, api(t, m, tok, "OPTIONS", "/api/1.0/employee/list", nil), http.StatusMethodNotAllowed)
}
