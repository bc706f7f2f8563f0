package xink

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

func TestNewClient_OptionsValidate(t *testing.T) {
	creds := WithCredentials("abc@SRV", "secret")
	tests := []struct {
		name string
		opts []Option
		want string // substring of the error
	}{
		{"no credentials", nil, "no credentials"},
		{"empty id", []Option{WithCredentials(" ", "s")}, "client id must not be empty"},
		{"empty secret", []Option{WithCredentials("a@SRV", "")}, "client secret must not be empty"},
		{"colon in id", []Option{WithCredentials("a:b", "s")}, "must not contain ':'"},
		{"plain http auth URL", []Option{creds, WithAuthURL("http://auth.example.com")}, "must use https"},
		{"ftp auth URL", []Option{creds, WithAuthURL("ftp://auth.example.com")}, "must use https"},
		{"relative API root", []Option{creds, WithAPIRoot("/api")}, "not absolute"},
		{"API root with query", []Option{creds, WithAPIRoot("https://e.xink.io/?x=1")}, "query"},
		{"unknown data center", []Option{creds, WithDataCenter("MARS")}, `unknown data center "MARS"`},
		{"root and data center", []Option{creds, WithAPIRoot("https://e.xink.io"), WithDataCenter("EU")}, "conflicts with WithAPIRoot"},
		{"unknown scope", []Option{creds, WithScopes("employeeread", "everything")}, `unknown scope "everything"`},
		{"no scope", []Option{creds, WithScopes()}, "no scope"},
		{"page size 0", []Option{creds, WithPageSize(0)}, "page size must be 1 to 500"},
		{"page size 501", []Option{creds, WithPageSize(501)}, "page size must be 1 to 500"},
		{"nil http client", []Option{creds, WithHTTPClient(nil)}, "nil *http.Client"},
		{"nil logger", []Option{creds, WithLogger(nil)}, "nil *slog.Logger"},
		{"bad auth style", []Option{creds, WithAuthStyle(AuthStyle(9))}, "unknown style"},
		{"retry attempts 0", []Option{creds, WithRetryPolicy(RetryPolicy{MaxAttempts: 0})}, "MaxAttempts must be 1 or more"},
		{"retry max below base", []Option{creds, WithRetryPolicy(RetryPolicy{MaxAttempts: 2, BaseDelay: time.Second, MaxDelay: time.Millisecond})}, "MaxDelay"},
		{"user agent newline", []Option{creds, WithUserAgent("a\nb")}, "one line"},
		{"nil option", []Option{creds, nil}, "nil Option"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := NewClient(context.Background(), tc.opts...)
			if err == nil {
				t.Fatalf("NewClient succeeded (%v), want error containing %q", c, tc.want)
			}
			if !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("error %q does not contain %q", err, tc.want)
			}
		})
	}
	// Accepted: loopback http, https with a path prefix, lower-case data center.
	for _, opts := range [][]Option{
		{creds, WithAuthURL("http://127.0.0.1:1234"), WithAPIRoot("http://[::1]:8080/prefix/")},
		{creds, WithAuthURL("http://localhost:1")},
		{creds, WithDataCenter("uk"), WithScopes(AllScopes()...), WithPageSize(1), WithAuthStyle(AuthStyleBasic)},
	} {
		if _, err := NewClient(context.Background(), opts...); err != nil {
			t.Errorf("NewClient: %v", err)
		}
	}
}

// routeTransport answers every request in-process and records the URLs asked for.
type routeTransport struct {
	urls []string
	h    http.Handler
}

func (rt *routeTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	rt.urls = append(rt.urls, r.Method+" "+r.URL.String())
	rec := httptest.NewRecorder()
	rt.h.ServeHTTP(rec, r)
	return rec.Result(), nil
}

func TestDataCenter_SkipsDiscoveryAndUsesDocumentedHosts(t *testing.T) {
	for dc, host := range map[string]string{"US": "e.xink.io", "EU": "e-eu.xink.io", "UK": "e-uk.xink.io", "CA": "e-ca.xink.io", "AU": "e-au.xink.io"} {
		t.Run(dc, func(t *testing.T) {
			rt := &routeTransport{h: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				if r.URL.Path == "/OAuth/Token" {
					writeJSON(w, 200, map[string]any{"access_token": "t", "expires_in": 60})
					return
				}
				writeJSON(w, 200, map[string]any{"Success": true, "Name": "Acme"})
			})}
			c, err := NewClient(context.Background(), WithCredentials("a@SRV", "s"), WithDataCenter(dc),
				WithHTTPClient(&http.Client{Transport: rt}))
			if err != nil {
				t.Fatal(err)
			}
			if _, err := c.GetAccountInfo(context.Background()); err != nil {
				t.Fatal(err)
			}
			want := []string{"POST https://auth.xink.io/OAuth/Token", "GET https://" + host + "/api/1.0/account/info"}
			if diff := cmp.Diff(want, rt.urls); diff != "" {
				t.Fatalf("requests (-want +got):\n%s", diff)
			}
		})
	}
}

func TestToken_BasicAuthUsesRawBytes(t *testing.T) {
	f := newFakeXink(t)
	const id, secret = "b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV", "p+a=s/s%é:x"
	c := f.client(t, WithCredentials(id, secret), WithAuthStyle(AuthStyleBasic), WithScopes(ScopeEmployeeRead, ScopeSignatureCtrl))
	if _, err := c.GetToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := f.lastToken.Load().(*http.Request)
	want := "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
	if got := r.Header.Get("Authorization"); got != want {
		t.Errorf("Authorization = %q, want %q", got, want)
	}
	gotID, gotSecret, ok := r.BasicAuth()
	if !ok || gotID != id || gotSecret != secret {
		t.Errorf("BasicAuth = %q, %q, %v; want the raw id and secret", gotID, gotSecret, ok)
	}
	if r.PostForm.Has("client_id") || r.PostForm.Has("client_secret") {
		t.Errorf("form carries credentials too: %v", r.PostForm)
	}
	if got := r.PostForm.Get("grant_type"); got != "client_credentials" {
		t.Errorf("grant_type = %q", got)
	}
	if got := r.PostForm.Get("scope"); got != "employeeread signaturectrl" {
		t.Errorf("scope = %q", got)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q", ct)
	}
}

func TestToken_FormFieldsByDefault(t *testing.T) {
	f := newFakeXink(t)
	c := f.client(t, WithCredentials("abc@SRV", "s&c=r et%"))
	if _, err := c.GetToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	r := f.lastToken.Load().(*http.Request)
	if got := r.Header.Get("Authorization"); got != "" {
		t.Errorf("Authorization = %q, want none", got)
	}
	if r.PostForm.Get("client_id") != "abc@SRV" || r.PostForm.Get("client_secret") != "s&c=r et%" {
		t.Errorf("form = %v", r.PostForm)
	}
	if r.PostForm.Has("scope") {
		t.Errorf("scope sent without WithScopes: %q", r.PostForm.Get("scope"))
	}
}

func TestToken_ExpiresInNumberOrString(t *testing.T) {
	clock := newFakeClock()
	for _, tc := range []struct {
		body    string
		want    time.Duration
		wantErr string
	}{
		{`{"access_token":"tok-1","expires_in":3600}`, time.Hour, ""},
		{`{"access_token":"tok-1","expires_in":"900"}`, 15 * time.Minute, ""},
		{`{"access_token":"tok-1","expires_in":" 120 "}`, 2 * time.Minute, ""},
		{`{"access_token":"tok-1","expires_in":60.0}`, time.Minute, ""},
		{`{"access_token":"tok-1"}`, 2 * time.Hour, ""},
		{`{"access_token":"tok-1","expires_in":"soon"}`, 0, "not a number of seconds"},
		{`{"access_token":"tok-1","expires_in":0}`, 0, "not positive"},
		{`{"expires_in":60}`, 0, "no access_token"},
		{`not json`, 0, "token response is not a JSON object"},
		{`{"access_token":"tok-1","expires_in":600`, 0, "decoding token response"},
		{`[]`, 0, "xink: getToken: token response is not a JSON object"},
		{`null`, 0, "token response is not a JSON object"},
		{`{"access_token":"tok-1","expires_in":1e30}`, 0, "expires_in 1e30 is out of range"},
		{`{"access_token":"tok-1","expires_in":"1e30"}`, 0, `expires_in "1e30" is out of range`},
		{`{"access_token":"tok-1","expires_in":99999999999999999999}`, 0, "expires_in 99999999999999999999 is out of range"},
		{`{"access_token":"tok-1","expires_in":-5}`, 0, "expires_in -5 is not positive"},
		{`{"access_token":"tok-1","expires_in":0.5}`, 0, "expires_in 0.5 is not positive"},
		{`{"access_token":"tok-1","expires_in":90.7}`, 90 * time.Second, ""},
		{`{"access_token":"tok-1","token_type":"mac","expires_in":60}`, 0, `token_type "mac" is not supported`},
		{`{"access_token":"tok-1","token_type":"BEARER","expires_in":60}`, time.Minute, ""},
		{`{"access_token":"tok-1\r\nX-Evil: 1","expires_in":60}`, 0, "access_token contains a control character"},
		{`{"access_token":"tok-1\u0000","expires_in":60}`, 0, "access_token contains a control character"},
		{`{"access_token":5,"expires_in":60}`, 0, "access_token is a JSON number, not a string"},
	} {
		t.Run(tc.body, func(t *testing.T) {
			f := newFakeXink(t)
			f.tokenBody.Store(tc.body)
			c := f.client(t, withClock(clock.now))
			tok, err := c.GetToken(context.Background())
			if tc.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tc.wantErr) {
					t.Fatalf("err = %v, want %q", err, tc.wantErr)
				}
				if strings.Contains(err.Error(), "struct {") || strings.Contains(err.Error(), "-9223372036854775808") ||
					strings.Contains(err.Error(), "tok-1") {
					t.Fatalf("err = %v: a Go type, an overflowed number or the token in the message", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if got := tok.Expiry.Sub(clock.now()); got != tc.want {
				t.Errorf("lifetime = %s, want %s", got, tc.want)
			}
		})
	}
}

func TestToken_ErrorResponse(t *testing.T) {
	f := newFakeXink(t)
	f.mux.HandleFunc("POST /bad/OAuth/Token", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-42")
		writeJSON(w, 400, map[string]any{"error": "invalid_scope", "error_description": `scope "managedaccountsctrl" is not allowed`})
	})
	c := f.client(t, WithAuthURL(f.srv.URL+"/bad"))
	_, err := c.GetToken(context.Background())
	var xe *Error
	if !errors.As(err, &xe) {
		t.Fatalf("err = %v, want *Error", err)
	}
	want := &Error{Operation: "getToken", Method: "POST", URL: f.srv.URL + "/bad/OAuth/Token", StatusCode: 400,
		Code: "invalid_scope", Description: `scope "managedaccountsctrl" is not allowed`, RequestID: "req-42"}
	if diff := cmp.Diff(want, xe, cmp.FilterPath(func(p cmp.Path) bool { return p.String() == "Body" }, cmp.Ignore())); diff != "" {
		t.Errorf("error (-want +got):\n%s", diff)
	}
	if !strings.Contains(string(xe.Body), "invalid_scope") {
		t.Errorf("Body = %q", xe.Body)
	}
}

func TestError_MapsStatusHeadersAndBody(t *testing.T) {
	f := newFakeXink(t)
	f.handleAPI("GET /api/1.0/employee/{email}", func(w http.ResponseWriter, r *http.Request) {
		switch r.PathValue("email") {
		case "forbidden@x.com":
			w.Header().Set("WWW-Authenticate", `Bearer realm="xink", error="insufficient_scope", error_description="needs \"employeeread\"", scope="employeeread"`)
			w.Header().Set("X-Request-Id", "r-403")
			writeJSON(w, 403, map[string]any{"Success": false, "Error": `insufficient scope: this operation needs "employeeread"`})
		case "missing@x.com":
			writeJSON(w, 404, map[string]any{"Success": false, "Error": `employee "missing@x.com" not found`})
		case "conflict@x.com":
			writeJSON(w, 409, map[string]any{"Success": false, "Error": "exists"})
		case "busy@x.com":
			w.Header().Set("Retry-After", "120")
			writeJSON(w, 429, map[string]any{"Success": false, "Error": "too many requests"})
		case "nosuccess@x.com":
			writeJSON(w, 200, map[string]any{"Success": false, "Error": "something odd"})
		case "html@x.com":
			w.Header().Set("Content-Type", "text/html")
			_, _ = w.Write([]byte("<html>maintenance</html>"))
		}
	})
	c := f.client(t)
	ctx := context.Background()

	_, err := c.GetEmployee(ctx, "forbidden@x.com")
	var xe *Error
	if !errors.As(err, &xe) || !errors.Is(err, ErrForbidden) || errors.Is(err, ErrNotFound) {
		t.Fatalf("err = %v; want *Error matching ErrForbidden only", err)
	}
	if xe.StatusCode != 403 || xe.Code != "insufficient_scope" || xe.Scope != "employeeread" || xe.RequestID != "r-403" ||
		xe.Message != `insufficient scope: this operation needs "employeeread"` || xe.Description != `needs "employeeread"` ||
		xe.Operation != "getEmployee" || xe.Method != "GET" || !strings.HasSuffix(xe.URL, fakePrefix+"/api/1.0/employee/forbidden@x.com") {
		t.Errorf("error fields: %+v", xe)
	}
	if !strings.Contains(err.Error(), `needs scope "employeeread"`) {
		t.Errorf("message %q does not name the scope", err)
	}

	for email, sentinel := range map[string]error{"missing@x.com": ErrNotFound, "conflict@x.com": ErrConflict, "busy@x.com": ErrRateLimited} {
		_, err := c.GetEmployee(ctx, email)
		if !errors.Is(err, sentinel) {
			t.Errorf("%s: err = %v, want %v", email, err, sentinel)
		}
	}
	_, err = c.GetEmployee(ctx, "busy@x.com")
	if errors.As(err, &xe); xe.RetryAfter != 2*time.Minute {
		t.Errorf("RetryAfter = %s, want 2m (not waited for: above MaxDelay)", xe.RetryAfter)
	}
	_, err = c.GetEmployee(ctx, "nosuccess@x.com")
	if !errors.As(err, &xe) || xe.StatusCode != 200 || xe.Message != "something odd" {
		t.Errorf("Success=false: err = %v", err)
	}
	_, err = c.GetEmployee(ctx, "html@x.com")
	if !errors.As(err, &xe) || !strings.Contains(xe.Message, "text/html") {
		t.Errorf("HTML answer: err = %v", err)
	}
}

func TestNoBearerToForeignHost(t *testing.T) {
	var foreignHits atomic.Int32
	var foreignAuth atomic.Value
	foreignAuth.Store("")
	foreign := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		foreignHits.Add(1)
		foreignAuth.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(tinyPNG)
	}))
	t.Cleanup(foreign.Close)

	f := newFakeXink(t)
	var apiAuth atomic.Value
	f.handleAPI("GET /api/1.0/account/info", func(w http.ResponseWriter, r *http.Request) {
		apiAuth.Store(r.Header.Get("Authorization"))
		http.Redirect(w, r, foreign.URL+"/steal", http.StatusTemporaryRedirect)
	})
	f.handleAPI("GET /img/logo.png", func(w http.ResponseWriter, r *http.Request) {
		apiAuth.Store(r.Header.Get("Authorization"))
		w.Header().Set("Content-Type", "image/png")
		_, _ = w.Write(tinyPNG)
	})
	c := f.client(t)
	ctx := context.Background()

	// A redirect from the API host is not followed: the foreign host sees nothing.
	_, err := c.GetAccountInfo(ctx)
	var xe *Error
	if !errors.As(err, &xe) || xe.StatusCode != http.StatusTemporaryRedirect {
		t.Fatalf("err = %v, want *Error with 307", err)
	}
	if got := apiAuth.Load().(string); got != "Bearer tok-1" {
		t.Fatalf("API host got Authorization %q, want the bearer", got)
	}
	if n := foreignHits.Load(); n != 0 {
		t.Fatalf("foreign host got %d requests after a redirect, want 0", n)
	}

	// An image on another host is fetched without the token; one on the API host gets it.
	body, ct, err := c.OpenImage(ctx, foreign.URL+"/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	got, _ := io.ReadAll(body)
	body.Close()
	if !bytes.Equal(got, tinyPNG) || ct != "image/png" {
		t.Errorf("image: %d bytes, %q", len(got), ct)
	}
	if foreignHits.Load() != 1 || foreignAuth.Load().(string) != "" {
		t.Fatalf("foreign host: %d hits, Authorization %q; want 1 hit and no token", foreignHits.Load(), foreignAuth.Load())
	}
	apiAuth.Store("")
	body, _, err = c.OpenImage(ctx, f.apiRootURL+"/img/logo.png")
	if err != nil {
		t.Fatal(err)
	}
	body.Close()
	if got := apiAuth.Load().(string); got != "Bearer tok-1" {
		t.Errorf("API host image: Authorization %q", got)
	}
}

func TestDiscovery_RejectsPlainHTTPAPIRoot(t *testing.T) {
	f := newFakeXink(t)
	f.apiRootURL = "http://api.example.com"
	c := f.client(t)
	_, err := c.GetAccountInfo(context.Background())
	if err == nil || !strings.Contains(err.Error(), "must use https") {
		t.Fatalf("err = %v, want an https complaint", err)
	}
	if n := f.apiHits.Load(); n != 0 {
		t.Fatalf("%d API hits", n)
	}
}

func TestInvalidInput_NeverSent(t *testing.T) {
	f := newFakeXink(t)
	f.handleAPI("GET /", func(w http.ResponseWriter, r *http.Request) {
		t.Errorf("request reached the server: %s %s", r.Method, r.URL)
	})
	c := f.client(t)
	ctx := context.Background()
	emails := []string{"", " ", "\t", "a/b@x.com", `a\b@x.com`, " a@x.com", "a@x.com\n", "no-at-sign", "a\x00@x.com"}
	for _, e := range emails {
		checks := map[string]error{}
		_, checks["GetEmployee"] = c.GetEmployee(ctx, e)
		checks["DeleteEmployee"] = c.DeleteEmployee(ctx, e)
		_, checks["GetEmployeeFields"] = c.GetEmployeeFields(ctx, e)
		_, checks["SetEmployeeFields"] = c.SetEmployeeFields(ctx, e, FieldValue{Name: "JobTitle", Value: Value("x")})
		_, checks["GetEmployeeSignatures"] = c.GetEmployeeSignatures(ctx, e)
		_, checks["CreateEmployee"] = c.CreateEmployee(ctx, CreateEmployeeRequest{Email: e})
		_, checks["GetRerouting"] = c.GetRerouting(ctx, e)
		_, checks["SetRerouting"] = c.SetRerouting(ctx, e, SetReroutingRequest{Enabled: true})
		_, checks["GetSharedMailbox"] = c.GetSharedMailbox(ctx, e)
		_, checks["UpdateSharedMailbox"] = c.UpdateSharedMailbox(ctx, e, UpdateSharedMailboxRequest{DisplayName: Value("x")})
		checks["DeleteSharedMailbox"] = c.DeleteSharedMailbox(ctx, e)
		_, checks["CreateSharedMailbox"] = c.CreateSharedMailbox(ctx, CreateSharedMailboxRequest{Email: e})
		_, checks["AssignSignature"] = c.AssignSignature(ctx, 1, AssignSignatureRequest{Emails: []string{e}})
		for name, err := range checks {
			var ae *ArgumentError
			if !errors.As(err, &ae) || !errors.Is(err, ErrInvalidArgument) {
				t.Errorf("%s(%q): err = %v, want *ArgumentError", name, e, err)
			}
		}
	}
	others := map[string]error{}
	_, others["GetSignature(0)"] = c.GetSignature(ctx, 0)
	others["DeleteImage(-1)"] = c.DeleteImage(ctx, -1)
	_, others["GetManagedAccount(a/b)"] = c.GetManagedAccount(ctx, "a/b")
	_, others["ListEmployeesPage(-1,10)"] = c.ListEmployeesPage(ctx, -1, 10)
	_, others["ListEmployeesPage(0,501)"] = c.ListEmployeesPage(ctx, 0, 501)
	_, others["SetEmployeeFields()"] = c.SetEmployeeFields(ctx, "a@x.com")
	_, others["UpdateSignature({})"] = c.UpdateSignature(ctx, 1, UpdateSignatureRequest{})
	_, others["CreateSignature({})"] = c.CreateSignature(ctx, SignatureRequest{})
	_, others["CreateManagedAccount(MARS)"] = c.CreateManagedAccount(ctx, CreateManagedAccountRequest{Name: "x", DataCenterID: "MARS"})
	for name, err := range others {
		if !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("%s: err = %v, want ErrInvalidArgument", name, err)
		}
	}
	if n := f.tokenHits.Load() + f.discHits.Load() + f.apiHits.Load(); n != 0 {
		t.Fatalf("server saw %d requests, want 0", n)
	}
	_, err := c.GetEmployee(ctx, "a/b@x.com")
	if want := `xink: getEmployee: invalid email: "a/b@x.com" contains a slash`; !strings.HasPrefix(err.Error(), want) {
		t.Errorf("message %q, want prefix %q", err, want)
	}
}

func TestRetry_NetworkErrorThenSuccess(t *testing.T) {
	f := newFakeXink(t)
	var hits atomic.Int32
	f.handleAPI("GET /api/1.0/account/info", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close() // drop the connection without an answer
			}
			return
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Name": "Acme"})
	})
	sleeps := &sleepRecorder{}
	// No keep-alive: net/http itself re-sends a request that failed on a reused connection,
	// and this test is about the client's own retry.
	c := f.client(t, withSleep(sleeps.sleep), WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
	info, err := c.GetAccountInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name.MustGet() != "Acme" || hits.Load() != 2 || len(sleeps.got()) != 1 {
		t.Fatalf("name %v, hits %d, waits %v", info.Name, hits.Load(), sleeps.got())
	}
}

func TestRetry_BackoffIsBoundedJitteredAndExponential(t *testing.T) {
	f := newFakeXink(t)
	var hits atomic.Int32
	f.handleAPI("GET /api/1.0/account/info", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		writeJSON(w, 502, map[string]any{"Success": false, "Error": "bad gateway"})
	})
	sleeps := &sleepRecorder{}
	var ceilings []int64
	c := f.client(t, withSleep(sleeps.sleep),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 5, BaseDelay: 100 * time.Millisecond, MaxDelay: 500 * time.Millisecond}),
		func(cfg *config) error {
			cfg.rand = func(n int64) int64 { ceilings = append(ceilings, n-1); return n - 1 } // the top of the jitter range
			return nil
		})
	_, err := c.GetAccountInfo(context.Background())
	var xe *Error
	if !errors.As(err, &xe) || xe.StatusCode != 502 {
		t.Fatalf("err = %v, want the last 502", err)
	}
	if hits.Load() != 5 {
		t.Errorf("hits = %d, want MaxAttempts = 5", hits.Load())
	}
	want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 400 * time.Millisecond, 500 * time.Millisecond}
	if diff := cmp.Diff(want, sleeps.got()); diff != "" {
		t.Errorf("waits (-want +got):\n%s", diff)
	}
}

func TestRetry_RetryAfterHTTPDate(t *testing.T) {
	now := time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)
	d, ok := parseRetryAfter(now.Add(7*time.Second).Format(http.TimeFormat), now)
	if !ok || d != 7*time.Second {
		t.Errorf("HTTP date: %s %v", d, ok)
	}
	if d, ok := parseRetryAfter("3", now); !ok || d != 3*time.Second {
		t.Errorf("seconds: %s %v", d, ok)
	}
	for _, bad := range []string{"", "-1", "soon"} {
		if _, ok := parseRetryAfter(bad, now); ok {
			t.Errorf("%q accepted", bad)
		}
	}
}

func TestBearerChallengeParsing(t *testing.T) {
	got := parseBearerChallenge([]string{`Basic realm="x"`, `Bearer realm="xink", error="insufficient_scope", error_description="needs \"a\", really", scope="employeectrl"`})
	want := map[string]string{"realm": "xink", "error": "insufficient_scope", "error_description": `needs "a", really`, "scope": "employeectrl"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Error(diff)
	}
	if got := parseBearerChallenge([]string{`bearer error=invalid_token`}); got["error"] != "invalid_token" {
		t.Errorf("token form: %v", got)
	}
	if parseBearerChallenge([]string{`Basic realm="x"`}) != nil {
		t.Error("Basic challenge parsed as Bearer")
	}
}

func TestLogger_NeverLogsSecrets(t *testing.T) {
	f := newFakeXink(t)
	f.tokenBody.Store(`{"access_token":"tok-1-SUPERSECRETTOKEN","expires_in":"60"}`)
	f.handleAPI("GET /api/1.0/account/info", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, 503, map[string]any{"Success": false, "Error": "down"})
	})
	var buf bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := f.client(t, WithCredentials("client-id@SRV", "CLIENT-SECRET-VALUE"), WithLogger(logger), WithAuthStyle(AuthStyleBasic))
	_, _ = c.GetAccountInfo(context.Background())
	out := buf.String()
	if !strings.Contains(out, "xink: token fetched") || !strings.Contains(out, "xink: retrying") {
		t.Fatalf("logger saw too little:\n%s", out)
	}
	basic := base64.StdEncoding.EncodeToString([]byte("client-id@SRV:CLIENT-SECRET-VALUE"))
	for _, secret := range []string{"CLIENT-SECRET-VALUE", "SUPERSECRETTOKEN", basic, "Bearer tok"} {
		if strings.Contains(out, secret) {
			t.Errorf("log contains %q:\n%s", secret, out)
		}
	}
}

func TestWithHTTPClient_CallerClientUnchanged(t *testing.T) {
	hc := &http.Client{Timeout: time.Second}
	if _, err := NewClient(context.Background(), WithCredentials("a@SRV", "s"), WithHTTPClient(hc)); err != nil {
		t.Fatal(err)
	}
	if hc.CheckRedirect != nil {
		t.Error("NewClient changed the caller's http.Client")
	}
}

func TestRefreshOn401_RetriesOnlyOnce(t *testing.T) {
	f := newFakeXink(t)
	var auths []string
	var mu sync.Mutex
	f.handleAPI("GET /api/1.0/account/info", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		auths = append(auths, r.Header.Get("Authorization"))
		mu.Unlock()
		w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token", error_description="the access token was revoked"`)
		writeJSON(w, 401, map[string]any{"Success": false, "Error": "the access token was revoked"})
	})
	f.handleAPI("GET /api/1.0/employee/list", func(w http.ResponseWriter, r *http.Request) {
		// 401 without invalid_token (e.g. a proxy's challenge): no refresh.
		writeJSON(w, 401, map[string]any{"Success": false, "Error": "who are you"})
	})
	c := f.client(t)
	_, err := c.GetAccountInfo(context.Background())
	var xe *Error
	if !errors.As(err, &xe) || !errors.Is(err, ErrUnauthorized) || xe.Code != "invalid_token" || xe.Description != "the access token was revoked" {
		t.Fatalf("err = %#v", err)
	}
	if diff := cmp.Diff([]string{"Bearer tok-1", "Bearer tok-2"}, auths); diff != "" {
		t.Fatalf("Authorization per attempt (-want +got):\n%s", diff)
	}
	if n := f.tokenHits.Load(); n != 2 {
		t.Fatalf("token fetches = %d, want 2", n)
	}
	if _, err := c.ListEmployees(context.Background()); !errors.Is(err, ErrUnauthorized) {
		t.Fatalf("err = %v", err)
	}
	if n := f.tokenHits.Load(); n != 2 {
		t.Fatalf("token fetches = %d after a plain 401, want still 2", n)
	}
}

func TestRefreshOn401_RetriesPOSTWithItsBody(t *testing.T) {
	f := newFakeXink(t)
	var bodies []string
	f.handleAPI("POST /api/1.0/signature", func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if r.Header.Get("Authorization") == "Bearer tok-1" {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, 401, map[string]any{"Success": false, "Error": "expired"})
			return
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Signature": map[string]any{"Id": 9, "Name": "S"}})
	})
	c := f.client(t)
	sig, err := c.CreateSignature(context.Background(), SignatureRequest{Name: "S", Html: "<p>x</p>"})
	if err != nil {
		t.Fatal(err)
	}
	if sig.Id != 9 || len(bodies) != 2 || bodies[0] != bodies[1] || !strings.Contains(bodies[1], `"Html":"\u003cp\u003ex\u003c/p\u003e"`) {
		t.Fatalf("id %d, bodies %q", sig.Id, bodies)
	}
}

func TestRetry_RetryAfterZeroMeansNow(t *testing.T) {
	f := newFakeXink(t)
	var hits atomic.Int32
	f.handleAPI("PUT /api/1.0/rerouting/{email}", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "0")
			writeJSON(w, 503, map[string]any{"Success": false, "Error": "busy"})
			return
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Rerouting": map[string]any{"Email": r.PathValue("email"), "Enabled": true}})
	})
	sleeps := &sleepRecorder{}
	c := f.client(t, withSleep(sleeps.sleep))
	st, err := c.SetRerouting(context.Background(), "a@x.com", SetReroutingRequest{Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if !st.Enabled || hits.Load() != 2 {
		t.Fatalf("state %+v, hits %d", st, hits.Load())
	}
	if diff := cmp.Diff([]time.Duration{0}, sleeps.got()); diff != "" {
		t.Fatalf("waits (-want +got):\n%s", diff)
	}
}

func TestOpenImage_RefusesNonHTTPS(t *testing.T) {
	c, err := NewClient(context.Background(), WithCredentials("a@SRV", "s"))
	if err != nil {
		t.Fatal(err)
	}
	for _, u := range []string{"http://i-eu.xink.io/Images/Get/a/b.png", "file:///etc/passwd", "/relative.png", ""} {
		if _, _, err := c.OpenImage(context.Background(), u); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("OpenImage(%q): %v", u, err)
		}
	}
}

func TestEmployees_ServerCapsPageSize(t *testing.T) {
	f := newFakeXink(t)
	const total, serverCap = 130, 50
	var limits []string
	f.handleAPI("GET /api/1.0/employee/list/{offset}/{limit}", func(w http.ResponseWriter, r *http.Request) {
		limits = append(limits, r.PathValue("offset")+"/"+r.PathValue("limit"))
		var off int
		for _, ch := range r.PathValue("offset") {
			off = off*10 + int(ch-'0')
		}
		var emps []map[string]any
		for i := off; i < total && i < off+serverCap; i++ {
			emps = append(emps, map[string]any{"Email": "e" + itoa(i) + "@x.com"})
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Total": total, "Offset": off, "Limit": serverCap, "Employees": emps})
	})
	c := f.client(t, WithPageSize(100))
	n := 0
	for _, err := range c.Employees(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	if n != total {
		t.Fatalf("walked %d, want %d", n, total)
	}
	if diff := cmp.Diff([]string{"0/100", "50/100", "100/100"}, limits); diff != "" {
		t.Fatalf("pages (-want +got):\n%s", diff)
	}
}

func TestToken_RequestIsRetried(t *testing.T) {
	f := newFakeXink(t)
	var hits atomic.Int32
	f.mux.HandleFunc("POST /flaky/OAuth/Token", func(w http.ResponseWriter, r *http.Request) {
		if hits.Add(1) == 1 {
			w.Header().Set("Retry-After", "2")
			writeJSON(w, 503, map[string]any{"Success": false, "Error": "down"})
			return
		}
		writeJSON(w, 200, map[string]any{"access_token": "t", "expires_in": 60})
	})
	sleeps := &sleepRecorder{}
	c := f.client(t, WithAuthURL(f.srv.URL+"/flaky"), withSleep(sleeps.sleep))
	if _, err := c.GetToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if hits.Load() != 2 || !cmp.Equal(sleeps.got(), []time.Duration{2 * time.Second}) {
		t.Fatalf("hits %d, waits %v", hits.Load(), sleeps.got())
	}
}

func TestErrors_NameTheOperationOnce(t *testing.T) {
	f := newFakeXink(t)
	f.tokenBody.Store(`{"access_token":""}`)
	c := f.client(t)
	_, err := c.GetEmployee(context.Background(), "a@x.com")
	if err == nil || err.Error() != "xink: getToken: token response has no access_token" {
		t.Fatalf("err = %v", err)
	}
}

func TestUserAgentAndRefreshSkew(t *testing.T) {
	f := newFakeXink(t)
	f.tokenBody.Store(`{"access_token":"tok-1","expires_in":600}`)
	var uas []string
	var mu sync.Mutex
	f.handleAPI("GET /api/1.0/account/info", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		uas = append(uas, r.Header.Get("User-Agent"))
		mu.Unlock()
		writeJSON(w, 200, map[string]any{"Success": true})
	})
	clock := newFakeClock()
	c := f.client(t, WithUserAgent("acme-sync/1.2"), WithTokenRefreshSkew(5*time.Minute), withClock(clock.now))
	ctx := context.Background()
	if _, err := c.GetAccountInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if got := f.lastToken.Load().(*http.Request).Header.Get("User-Agent"); got != "acme-sync/1.2" {
		t.Errorf("token request User-Agent = %q", got)
	}
	clock.advance(4*time.Minute + 59*time.Second) // 5m01s left: still outside the 5m skew
	if _, err := c.GetAccountInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenHits.Load(); n != 1 {
		t.Fatalf("token fetches = %d, want 1", n)
	}
	clock.advance(2 * time.Second) // 4m59s left: inside the skew
	if _, err := c.GetAccountInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := f.tokenHits.Load(); n != 2 {
		t.Fatalf("token fetches = %d, want 2", n)
	}
	if diff := cmp.Diff([]string{"acme-sync/1.2", "acme-sync/1.2", "acme-sync/1.2"}, uas); diff != "" {
		t.Error(diff)
	}
	if _, err := NewClient(ctx, WithCredentials("a@SRV", "s"), WithTokenRefreshSkew(-time.Second)); err == nil {
		t.Error("negative skew accepted")
	}
}
