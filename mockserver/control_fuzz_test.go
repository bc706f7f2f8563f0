package mockserver_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
)

// FuzzControlAPI: the unauthenticated test-control API answers any method, route and body
// with JSON and never a 5xx, and whatever it was asked, the mock stays usable afterwards:
// health, the state dump and the token endpoint still answer 200.
func FuzzControlAPI(f *testing.F) {
	for _, s := range []struct {
		method uint8
		path   string
		body   string
	}{
		{0, "health", ""}, {1, "reset", ""}, {0, "state", ""}, {0, "journal", ""}, {2, "journal", ""},
		{1, "tokens/revoke", `{"All":true}`}, {1, "tokens/revoke", `{"Token":"x"}`},
		{1, "clock/advance", `{"Seconds":7200}`}, {1, "clock/advance", `{"Seconds":1e300}`}, {1, "clock/advance", `{"Seconds":-1e12}`},
		{1, "faults", `{"Operation":"listEmployees","Status":429,"RetryAfterSeconds":2,"Times":1}`},
		{1, "faults", `{"LatencySeconds":1e30,"Times":1}`}, {1, "faults", `{"Status":500,"RetryAfterSeconds":1e300}`},
		{2, "faults", ""}, {0, "nope", ""}, {1, "faults", `{"Drop":true,"Operation":"getToken"}`},
	} {
		f.Add(s.method, s.path, []byte(s.body))
	}
	m := newFuzzMock(f)
	f.Fuzz(func(t *testing.T, method uint8, route string, body []byte) {
		defer func() { // undo what control calls change: faults, data, clock
			m.srv.ClearFaults()
			m.srv.Reset()
			m.srv.ResetClock() // Advance refuses to move back
		}()
		verb := []string{"GET", "POST", "DELETE", "PUT"}[int(method)%4]
		target := mockserver.ControlPath + url.PathEscape(route)
		if strings.Contains(route, "/") {
			target = mockserver.ControlPath + route
		}
		if _, err := url.ParseRequestURI(target); err != nil || strings.ContainsAny(target, " \x00\r\n\t") {
			return
		}
		rec := m.do(verb, target, http.Header{"Content-Type": {"application/json"}}, body)
		if rec.Code >= 500 {
			t.Fatalf("%s %s %q: %d %s", verb, target, body, rec.Code, rec.Body)
		}
		if !json.Valid(rec.Body.Bytes()) {
			t.Fatalf("%s %s: not JSON: %q", verb, target, rec.Body)
		}
		m.srv.ClearFaults() // faults are meant to break requests; the rest must not
		for _, p := range []string{"/_mock/health", "/_mock/state"} {
			if r := m.do("GET", p, nil, nil); r.Code != 200 {
				t.Fatalf("after %s %s %q: GET %s: %d %s", verb, target, body, p, r.Code, r.Body)
			}
		}
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {mockserver.DemoClientID}, "client_secret": {mockserver.DemoClientSecret}}
		if r := m.do("POST", "/OAuth/Token", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, []byte(form.Encode())); r.Code != 200 {
			t.Fatalf("after %s %s %q: token: %d %s", verb, target, body, r.Code, r.Body)
		}
	})
}
