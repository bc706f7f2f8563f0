package mockserver_test

import (
	"bytes"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

// The tests in this file each hold one answer the mock got wrong (a review's findings): an
// out-of-range value silently accepted, an undeclared answer, a malformed input ignored.

func wantError(t *testing.T, what string, r reply, status int, mention ...string) {
	t.Helper()
	if r.Status != status {
		t.Errorf("%s: status %d, want %d; body %s", what, r.Status, status, r.Body)
		return
	}
	for _, w := range mention {
		if !bytes.Contains(r.Body, []byte(w)) {
			t.Errorf("%s: body %s does not mention %q", what, r.Body, w)
		}
	}
}

// clockAhead is how far the mock's clock is ahead of the real one.
func clockAhead(m *mocktest.Mock) time.Duration { return time.Until(m.Server.Now()) }

func TestClockAdvanceRejectsOutOfRange(t *testing.T) {
	m, tok := start(t)
	for _, body := range []string{
		`{"Seconds":1e300}`, `{"Seconds":-1}`, `{"Seconds":-7200}`, `{"Seconds":1e400}`,
		`{"Seconds":3153600001}`, `{"Seconds":9223372036}`, `{}`,
	} {
		r := control(t, m, "POST", "clock/advance", body)
		wantError(t, body, r, 400, "Seconds", "3153600000")
		if d := clockAhead(m); d > time.Minute || d < -time.Minute {
			t.Fatalf("%s moved the clock by %v", body, d)
		}
	}
	// A negative step cannot revive an expired token.
	wantStatus(t, control(t, m, "POST", "clock/advance", `{"Seconds":7200}`), 200)
	wantStatus(t, api(t, m, tok, "GET", "/Discovery", nil), 401)
	wantError(t, "back", control(t, m, "POST", "clock/advance", `{"Seconds":-7200}`), 400, "negative")
	wantStatus(t, api(t, m, tok, "GET", "/Discovery", nil), 401)
	// The total is bounded too: the offset can never overflow.
	wantStatus(t, control(t, m, "POST", "clock/advance", `{"Seconds":3153000000}`), 200)
	wantError(t, "total", control(t, m, "POST", "clock/advance", `{"Seconds":1000000}`), 400, "3153600000")
	if y := m.Server.Now().Year(); y < 2100 || y > 2200 {
		t.Errorf("clock year %d after advancing ~100 years", y)
	}
}

func TestTokenEndpointHugeBodyIsRFC6749(t *testing.T) {
	m := mocktest.Start(t)
	form := "grant_type=client_credentials&pad=" + strings.Repeat("a", 3<<20)
	req, _ := http.NewRequest("POST", m.URL+"/OAuth/Token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(m.ClientID, m.ClientSecret)
	r := send(t, req)
	wantError(t, "huge form", r, 400, `"error":"invalid_request"`, "request body larger than 1048576 bytes")
	if bytes.Contains(r.Body, []byte("Success")) {
		t.Errorf("the token endpoint answered with the API envelope: %s", r.Body)
	}
}

// TestUncleanPathThroughDataCenterRoot: a dot segment under a /dc/<dc> root gets the
// envelope 404 too, never ServeMux's HTML 307.
func TestUncleanPathThroughDataCenterRoot(t *testing.T) {
	m := mocktest.Start(t, mockserver.WithDataCenterRoots(true))
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{"/dc/eu/api/1.0/employee/..", "/api/1.0/employee/..", "/dc/eu/api/1.0/./employee/list"} {
		req := mustReq(t, "GET", m.URL+p)
		req.URL.RawPath = p
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if resp.StatusCode != 404 || !strings.HasPrefix(resp.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: %d %s: %s", p, resp.StatusCode, resp.Header.Get("Content-Type"), b)
		}
	}
}

func TestJSONBodyChecks(t *testing.T) {
	m, tok := start(t)
	post := func(body, ctype string) reply {
		req, _ := http.NewRequest("POST", m.URL+"/api/1.0/employee", strings.NewReader(body))
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Authorization", "Bearer "+tok)
		return send(t, req)
	}
	const js = "application/json"
	for _, tc := range []struct {
		name, body, ctype, created string
		mention                    []string
	}{
		{"trailing object", `{"Email":"a@example.com"}{"x":1}`, js, "a@example.com", []string{"data after the JSON value"}},
		{"trailing garbage", `{"Email":"b@example.com"} x`, js, "b@example.com", []string{"data after the JSON value"}},
		{"invalid UTF-8", "{\"Email\":\"c@example.com\",\"FirstName\":\"Zo\xeb\"}", js, "c@example.com", []string{"UTF-8", "offset 40"}},
		{"charset", `{"Email":"d@example.com"}`, js + "; charset=ISO-8859-1", "d@example.com", []string{"ISO-8859-1"}},
		{"duplicate key", `{"Email":"e@example.com","FirstName":"A","FirstName":"B"}`, js, "e@example.com", []string{"FirstName", "more than once"}},
	} {
		wantError(t, tc.name, post(tc.body, tc.ctype), 400, tc.mention...)
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/"+tc.created, nil), 404)
	}
	// Nested duplicates, in another operation.
	r := api(t, m, tok, "PUT", "/api/1.0/employee/zoe.ostergaard@example.com/fields",
		`{"Fields":[{"Name":"JobTitle","Value":"x","Value":"y"}]}`)
	wantError(t, "nested duplicate", r, 400, `\"Value\" appears more than once`)
	// What stays valid: trailing white space, charset=UTF-8 in any case, the same key in
	// sibling objects.
	wantStatus(t, post(`{"Email":"f@example.com"}`+"\r\n ", js), 200)
	wantStatus(t, post(`{"Email":"g@example.com"}`, js+"; charset=UTF-8"), 200)
	wantStatus(t, api(t, m, tok, "PUT", "/api/1.0/employee/zoe.ostergaard@example.com/fields",
		`{"Fields":[{"Name":"JobTitle","Value":"x"},{"Name":"Fax","Value":null}]}`), 200)
}

func TestTokenRepeatedParameter(t *testing.T) {
	m := mocktest.Start(t)
	for _, form := range []string{
		"grant_type=client_credentials&grant_type=password",
		"grant_type=client_credentials&scope=employeeread&scope=employeectrl",
	} {
		req, _ := http.NewRequest("POST", m.URL+"/OAuth/Token", strings.NewReader(form))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(m.ClientID, m.ClientSecret)
		name, _, _ := strings.Cut(strings.Split(form, "&")[1], "=")
		wantError(t, form, send(t, req), 400, `"error":"invalid_request"`, `\"`+name+`\"`, "more than once")
	}
}

func TestPreferIsCheckedAndComesAfterValidation(t *testing.T) {
	m, tok := start(t)
	const zoe = "/api/1.0/employee/zoe.ostergaard@example.com"
	t.Run("malformed", func(t *testing.T) { preferMalformed(t, m, tok, zoe) })
	t.Run("token endpoint authenticates first", func(t *testing.T) { preferTokenAuth(t, m) })
	t.Run("401 and 403 challenges", func(t *testing.T) { preferChallenges(t, m, tok, zoe) })
}

func preferMalformed(t *testing.T, m *mocktest.Mock, tok, zoe string) {
	// Validation first, as in Prism.
	wantError(t, "bad offset", api(t, m, tok, "GET", "/api/1.0/employee/list/-5/0", nil, "Prefer", "code=200"), 400, "offset")
	for _, v := range []string{"code=abc", "code=", "code", "code=99", "code=" + strings.Repeat("4", 40), "respond-async, code=4O4"} {
		wantError(t, "Prefer: "+v, api(t, m, tok, "GET", zoe, nil, "Prefer", v), 400, "Prefer", "code=NNN")
	}
	// RFC 7240 allows white space around "=" (BWS), and a quoted value.
	wantStatus(t, api(t, m, tok, "GET", zoe, nil, "Prefer", "code = 404"), 404)
	wantStatus(t, api(t, m, tok, "GET", zoe, nil, "Prefer", `code="404"`), 404)
}

func preferTokenAuth(t *testing.T, m *mocktest.Mock) {
	// The token endpoint authenticates the client before it answers a preference.
	tokenReq := func(user, pass string) reply {
		req, _ := http.NewRequest("POST", m.URL+"/OAuth/Token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Prefer", "code=200")
		if user != "" {
			req.SetBasicAuth(user, pass)
		}
		return send(t, req)
	}
	wantError(t, "no credentials", tokenReq("", ""), 400, "invalid_request")
	wantError(t, "wrong secret", tokenReq(m.ClientID, "wrong"), 401, "invalid_client")
	wantStatus(t, tokenReq(m.ClientID, m.ClientSecret), 200)
}

func preferChallenges(t *testing.T, m *mocktest.Mock, tok, zoe string) {
	// 401 and 403 carry the real path's challenge; 403 names this operation's scope.
	for _, tc := range []struct{ method, path, scope string }{
		{"GET", zoe, "employeeread"},
		{"DELETE", zoe, "employeectrl"},
		{"GET", "/api/1.0/signature/list", "employeesignaturesread"},
	} {
		r := api(t, m, tok, tc.method, tc.path, nil, "Prefer", "code=403")
		wantStatus(t, r, 403)
		h := r.Header.Get("WWW-Authenticate")
		if !strings.Contains(h, `error="insufficient_scope"`) || !strings.Contains(h, `scope="`+tc.scope+`"`) {
			t.Errorf("%s %s 403: WWW-Authenticate %q, want insufficient_scope and scope=%q", tc.method, tc.path, h, tc.scope)
		}
		if msg := r.errText(t); !strings.Contains(msg, `"`+tc.scope+`"`) {
			t.Errorf("%s %s 403: Error %q does not name %s", tc.method, tc.path, msg, tc.scope)
		}
		r = api(t, m, tok, tc.method, tc.path, nil, "Prefer", "code=401")
		wantStatus(t, r, 401)
		if h := r.Header.Get("WWW-Authenticate"); !strings.HasPrefix(h, `Bearer realm="xink", error="invalid_token"`) {
			t.Errorf("%s %s 401: WWW-Authenticate %q", tc.method, tc.path, h)
		}
	}
	// Nothing was deleted.
	wantStatus(t, api(t, m, tok, "GET", zoe, nil), 200)
}

func TestControlAPIBounds(t *testing.T) {
	m, tok := start(t)
	wantError(t, "latency", control(t, m, "POST", "faults", `{"Status":503,"LatencySeconds":1e12}`), 400, "too large", "86400")
	wantError(t, "retry", control(t, m, "POST", "faults", `{"Status":503,"RetryAfterSeconds":1e12}`), 400, "too large", "86400")
	wantError(t, "negative", control(t, m, "POST", "faults", `{"Status":503,"LatencySeconds":-1}`), 400, "negative")
	if n := len(m.Server.Faults()); n != 0 {
		t.Fatalf("%d faults added", n)
	}
	t.Run("revoke", func(t *testing.T) {
		r := control(t, m, "POST", "tokens/revoke", fmt.Sprintf(`{"Token":%q,"All":true}`, tok))
		wantError(t, "Token and All", r, 400, "not both")
		wantStatus(t, api(t, m, tok, "GET", "/Discovery", nil), 200) // nothing revoked
	})
	r := control(t, m, "POST", "clock/advance", strings.Repeat(" ", 3<<20)+`{"Seconds":1}`)
	wantError(t, "megabytes of spaces", r, 400, "larger than 65536 bytes")
	wantError(t, "two objects", control(t, m, "POST", "clock/advance", `{"Seconds":1}{"Seconds":2}`), 400, "after the JSON object")
}

func TestMethodNotAllowedHasAllow(t *testing.T) {
	m, tok := start(t)
	for _, tc := range []struct{ method, path, allow string }{
		{"PATCH", "/api/1.0/employee/list", "GET, DELETE"}, // DELETE: deleteEmployee of "list"
		{"PUT", "/api/1.0/employee/list/0/5", "GET"},
		{"POST", "/api/1.0/employee/zoe.ostergaard@example.com", "GET, DELETE"},
		{"DELETE", "/api/1.0/employee", "POST"},
	} {
		r := api(t, m, tok, tc.method, tc.path, nil)
		wantStatus(t, r, 405)
		if got := r.Header.Get("Allow"); got != tc.allow {
			t.Errorf("%s %s: Allow %q, want %q", tc.method, tc.path, got, tc.allow)
		}
	}
}

func TestLongEmailIsTruncatedInErrors(t *testing.T) {
	m, tok := start(t)
	long := strings.Repeat("é", 500) + "@example.com"
	for _, path := range []string{"/api/1.0/employee/", "/api/1.0/sharedmailbox/", "/api/1.0/nothing/", "/img/Images/Get/x/"} {
		r := api(t, m, tok, "GET", path+pathEmail(long), nil)
		wantStatus(t, r, 404)
		msg := r.errText(t)
		if len(msg) > 300 || !strings.Contains(msg, "…") {
			t.Errorf("GET %s<long>: Error is %d bytes: %.80q", path, len(msg), msg)
		}
	}
}

func TestUploadErrorsNameThePartsAndOneLimit(t *testing.T) {
	m, tok := start(t, mockserver.WithMaxUploadBytes(1000))
	send1 := func(part string, size int) reply {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		fw, _ := mw.CreateFormFile(part, "pixel.png")
		_, _ = fw.Write(append(append([]byte{}, tinyPNG...), make([]byte, size)...))
		_ = mw.Close()
		req, _ := http.NewRequest("POST", m.URL+"/api/1.0/image/upload", &buf)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Authorization", "Bearer "+tok)
		return send(t, req)
	}
	r := send1("image", 0)
	wantError(t, "part image", r, 400, `\"image\"`, `\"file\"`, `\"Name\"`)
	if bytes.Contains(r.Body, []byte("undefined")) {
		t.Errorf("the message still says undefined: %s", r.Body)
	}
	// Just over the image limit and far over the body limit: one number, the image limit.
	for _, size := range []int{1000, 200 << 10} {
		wantError(t, fmt.Sprint(size), send1("file", size), 413, "larger than 1000 bytes")
	}
}

// TestDeeplyNestedBody: the duplicate-key walk does not grow without bound; a body nested
// beyond encoding/json's limit is still a clear 400.
func TestDeeplyNestedBody(t *testing.T) {
	m, tok := start(t)
	for _, body := range []string{strings.Repeat("[", 1<<19), strings.Repeat(`{"a":`, 100000) + "1" + strings.Repeat("}", 100000)} {
		r := api(t, m, tok, "POST", "/api/1.0/employee", body)
		wantError(t, fmt.Sprintf("%.10s… (%d bytes)", body, len(body)), r, 400, "request body")
	}
}
