package cassette

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	upstreamSecret = "s3cr3t-Very-Private"
	upstreamToken  = "tok-LIVE-7f3a9c1e2b"
	upstreamCookie = "session=cookie-VALUE-123"
)

// upstream is a tiny Xink look-alike carrying personal data, a cookie and a
// token, to feed the recorder.
func upstream(t *testing.T) *httptest.Server {
	t.Helper()
	mux := http.NewServeMux()
	mux.HandleFunc("POST /OAuth/Token", func(w http.ResponseWriter, r *http.Request) {
		if err := r.ParseForm(); err != nil || r.PostForm.Get("client_secret") != upstreamSecret {
			w.Header().Set("Content-Type", "application/json")
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"error":"invalid_client"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "cookie-VALUE-123"})
		_, _ = fmt.Fprintf(w, `{"access_token":%q,"token_type":"bearer","expires_in":7200}`, upstreamToken)
	})
	mux.HandleFunc("GET /Discovery", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		base := "http://" + r.Host
		_, _ = fmt.Fprintf(w, `{"Success":true,"DataCenterID":"EU","APIRoot":%q,"ImgRoot":%q}`, base, base+"/img")
	})
	mux.HandleFunc("GET /api/1.0/employee/{email}", func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("Authorization") != "Bearer "+upstreamToken {
			w.Header().Set("Content-Type", "application/json")
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			w.WriteHeader(http.StatusUnauthorized)
			_, _ = io.WriteString(w, `{"Success":false,"Error":"the access token is unknown"}`)
			return
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = fmt.Fprintf(w, `{"Success":true,"Employee":{"Email":%q,"FirstName":"Ingrid","LastName":"Bergström","DisplayName":"Ingrid Bergström","JobTitle":"CFO"},`+
			`"Fields":[{"Name":"Mobile","Value":"+46 70 123 45 67"},{"Name":"FirstName","Value":"Ingrid"}],`+
			`"Html":"<p>Ingrid Bergström, call +46 70 123 45 67 or mail ingrid.bergstrom@nordlys.se</p>"}`, r.PathValue("email"))
	})
	mux.HandleFunc("POST /api/1.0/image/upload", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, `{"Success":true}`)
	})
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// session runs a token, discovery and employee call through rt.
func session(t *testing.T, rt http.RoundTripper, base string) []string {
	t.Helper()
	c := &http.Client{Transport: rt}
	var got []string
	do := func(req *http.Request) {
		t.Helper()
		resp, err := c.Do(req)
		if err != nil {
			t.Fatalf("%s %s: %v", req.Method, req.URL, err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		got = append(got, fmt.Sprintf("%d %s", resp.StatusCode, b))
	}
	form := url.Values{"grant_type": {"client_credentials"}, "scope": {"employeeread"},
		"client_id": {"b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV"}, "client_secret": {upstreamSecret}}
	req, _ := http.NewRequest(http.MethodPost, base+"/OAuth/Token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	do(req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal([]byte(strings.TrimPrefix(got[0], "200 ")), &tok); err != nil {
		t.Fatalf("token response %q: %v", got[0], err)
	}
	req, _ = http.NewRequest(http.MethodGet, base+"/Discovery", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Cookie", upstreamCookie)
	do(req)
	req, _ = http.NewRequest(http.MethodGet, base+"/api/1.0/employee/ingrid.bergstrom@nordlys.se", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	do(req)
	req, _ = http.NewRequest(http.MethodGet, base+"/api/1.0/employee/ingrid.bergstrom@nordlys.se", nil)
	req.Header.Set("Authorization", "Bearer not-a-token")
	do(req)
	return got
}

func TestRecorderRedactsBeforeSaving(t *testing.T) {
	srv := upstream(t)
	rec, err := NewRecorder(srv.Client().Transport)
	if err != nil {
		t.Fatal(err)
	}
	session(t, rec, srv.URL)
	red, err := NewRedactor(WithKey([]byte("0123456789abcdef0123456789abcdef")))
	if err != nil {
		t.Fatal(err)
	}
	c, err := rec.Cassette(red, "employee_session", ProvenanceSynthetic, "test")
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	path, err := c.Save(dir)
	if err != nil {
		t.Fatal(err)
	}
	saved, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := url.Parse(srv.URL)
	for _, secret := range []string{
		upstreamSecret, upstreamToken, "cookie-VALUE-123", "not-a-token",
		"Ingrid", "Bergström", "ingrid.bergstrom", "123 45 67", "70 123",
		"b6b5a1c3-8e07-409f-8014-e9207b83e442", u.Host, "127.0.0.1",
	} {
		if bytes.Contains(saved, []byte(secret)) {
			t.Errorf("saved cassette still contains %q:\n%s", secret, saved)
		}
	}
	for _, h := range []string{"Authorization", "Cookie", "Set-Cookie"} {
		if bytes.Contains(bytes.ToLower(saved), []byte(`"`+strings.ToLower(h)+`"`)) {
			t.Errorf("saved cassette still has a %s header", h)
		}
	}

	loaded, err := Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(c, loaded); diff != "" {
		t.Errorf("Load(Save(c)) differs (-saved +loaded):\n%s", diff)
	}
	in := loaded.Interactions
	if got, want := in[0].Request.Text, "client_id="+RedactedClientID+"&grant_type=client_credentials&scope=employeeread"; got != want {
		t.Errorf("token form recorded as %q, want %q", got, want)
	}
	if got := string(in[0].Response.JSON); !strings.Contains(got, `"access_token":"redacted-token-1"`) {
		t.Errorf("token response %s: access_token not replaced by its placeholder", got)
	}
	if in[1].Request.Auth != "bearer redacted-token-1" || in[3].Request.Auth != "bearer unissued" {
		t.Errorf("auth markers = %q, %q; want bearer redacted-token-1, bearer unissued", in[1].Request.Auth, in[3].Request.Auth)
	}
	if got := string(in[1].Response.JSON); !strings.Contains(got, `"APIRoot":"https://api.xink.invalid"`) ||
		!strings.Contains(got, `"ImgRoot":"https://api.xink.invalid/img"`) {
		t.Errorf("discovery hosts not normalised: %s", got)
	}

	// The same personal value gets the same fake everywhere in the set.
	fakeEmail := red.FakeEmail("ingrid.bergstrom@nordlys.se")
	fakeFirst := red.FakeName("FirstName", "Ingrid")
	fakeFull := red.FakeName("DisplayName", "Ingrid Bergström")
	fakeMobile := red.FakePhone("+46 70 123 45 67")
	if in[2].Request.Path != "/api/1.0/employee/"+fakeEmail {
		t.Errorf("path = %q, want the fake email %q", in[2].Request.Path, fakeEmail)
	}
	var emp struct {
		Employee struct{ Email, FirstName, DisplayName string }
		Fields   []struct{ Name, Value string }
		Html     string
	}
	if err := json.Unmarshal(in[2].Response.JSON, &emp); err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("<p>%s, call %s or mail %s</p>", fakeFull, fakeMobile, red.FakeEmail("ingrid.bergstrom@nordlys.se"))
	if emp.Employee.Email != fakeEmail || emp.Employee.FirstName != fakeFirst || emp.Employee.DisplayName != fakeFull ||
		emp.Fields[0].Value != fakeMobile || emp.Fields[1].Value != fakeFirst || emp.Html != want {
		t.Errorf("personal data not replaced consistently: %+v\nwant html %q", emp, want)
	}
	if !strings.HasPrefix(fakeEmail, "person-") || !strings.HasSuffix(fakeEmail, "@nordlys.se") {
		t.Errorf("fake email %q: want person-<hex>@nordlys.se", fakeEmail)
	}

	// Redacting a redacted cassette changes nothing (fakes are recognised).
	var raw []RawInteraction
	for _, x := range loaded.Interactions {
		raw = append(raw, RawInteraction{OperationID: x.OperationID, Request: x.Request, Response: x.Response})
	}
	red2, _ := NewRedactor()
	again, err := red2.Redact(loaded.Name, loaded.Provenance, loaded.Description, raw)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(loaded, again); diff != "" {
		t.Errorf("redaction is not idempotent (-once +twice):\n%s", diff)
	}
}

func TestRedactorKeepsSyntheticValues(t *testing.T) {
	red, err := NewRedactor(WithKeep("ct.new.hire@example.com", "Contract"))
	if err != nil {
		t.Fatal(err)
	}
	if got := red.FakeEmail("ct.new.hire@example.com"); got != "ct.new.hire@example.com" {
		t.Errorf("kept email rewritten to %q", got)
	}
	if got := red.FakeName("FirstName", "Contract"); got != "Contract" {
		t.Errorf("kept name rewritten to %q", got)
	}
	if got := red.FakeEmail("someone.else@example.com"); got == "someone.else@example.com" {
		t.Error("an email not kept was not rewritten")
	}
	if _, err := NewRedactor(WithKeep("")); err == nil {
		t.Error("WithKeep(\"\") accepted")
	}
	if _, err := NewRedactor(WithKey([]byte("short"))); err == nil {
		t.Error("a 5-byte key accepted")
	}
}

type countingTransport struct{ calls int }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.calls++
	return &http.Response{StatusCode: 200, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(strings.NewReader(`{"Success":true}`)), Request: r}, nil
}

func TestRecorderRefusesUnsafeMethodsAgainstRemoteHosts(t *testing.T) {
	cases := []struct {
		method, url string
		allow       bool
		refused     bool
	}{
		{"DELETE", "https://e-eu.xink.io/api/1.0/employee/a@example.com", false, true},
		{"POST", "https://e-eu.xink.io/api/1.0/employee", false, true},
		{"PUT", "https://e-eu.xink.io/api/1.0/rerouting/a@example.com", false, true},
		{"PATCH", "https://10.0.0.8/api/1.0/x", false, true},
		{"DELETE", "https://e-eu.xink.io/api/1.0/employee/a@example.com", true, false},
		{"GET", "https://e-eu.xink.io/api/1.0/employee/list", false, false},
		{"POST", "https://auth.xink.io/OAuth/Token", false, false},
		{"DELETE", "http://127.0.0.1:8080/api/1.0/employee/a@example.com", false, false},
		{"POST", "http://localhost:8080/api/1.0/employee", false, false},
		{"PUT", "http://[::1]:8080/api/1.0/rerouting/a@example.com", false, false},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.url, func(t *testing.T) {
			next := &countingTransport{}
			rec, err := NewRecorder(next, WithAllowWrites(tc.allow))
			if err != nil {
				t.Fatal(err)
			}
			req, _ := http.NewRequest(tc.method, tc.url, strings.NewReader(`{}`))
			resp, err := rec.RoundTrip(req)
			if tc.refused {
				if !errors.Is(err, ErrUnsafeMethod) || next.calls != 0 || rec.Len() != 0 {
					t.Fatalf("err = %v, upstream calls = %d, recorded = %d; want ErrUnsafeMethod and nothing sent", err, next.calls, rec.Len())
				}
				return
			}
			if err != nil || next.calls != 1 || rec.Len() != 1 {
				t.Fatalf("err = %v, upstream calls = %d, recorded = %d; want it sent and recorded", err, next.calls, rec.Len())
			}
			_ = resp.Body.Close()
		})
	}
}

func TestReplayerAnswersFromTheCassette(t *testing.T) {
	srv := upstream(t)
	rec, _ := NewRecorder(srv.Client().Transport)
	live := session(t, rec, srv.URL)
	// The session sends this email in a path: it must be kept to match on replay
	// (scenarios only send their own synthetic values or values read back).
	red, _ := NewRedactor(WithKeep("ingrid.bergstrom@nordlys.se"))
	c, err := rec.Cassette(red, "s", ProvenanceSynthetic, "")
	if err != nil {
		t.Fatal(err)
	}
	rp, err := NewReplayer(c)
	if err != nil {
		t.Fatal(err)
	}
	// The replayed session uses another secret and host: neither is part of the match.
	replayed := sessionWithSecret(t, rp, "https://auth.xink.invalid", "another-secret")
	if len(replayed) != len(live) {
		t.Fatalf("replayed %d exchanges, recorded %d", len(replayed), len(live))
	}
	for i := range live {
		if strings.SplitN(live[i], " ", 2)[0] != strings.SplitN(replayed[i], " ", 2)[0] {
			t.Errorf("exchange %d: replayed status %q, live %q", i, replayed[i], live[i])
		}
	}
	if u := rp.Unused(); len(u) != 0 {
		t.Errorf("unused interactions %v", u)
	}
	// Everything is used once: a further request does not match, and says why.
	req, _ := http.NewRequest(http.MethodGet, "https://api.xink.invalid/api/1.0/employee/other@example.com", nil)
	_, err = rp.RoundTrip(req)
	if !errors.Is(err, ErrNoMatch) || !strings.Contains(err.Error(), "GET /api/1.0/employee/other@example.com") {
		t.Errorf("err = %v; want ErrNoMatch naming the request", err)
	}
}

func sessionWithSecret(t *testing.T, rt http.RoundTripper, base, secret string) []string {
	t.Helper()
	// session() sends upstreamSecret; replace it on the way out.
	return session(t, roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if r.Body != nil && r.URL.Path == "/OAuth/Token" {
			b, _ := io.ReadAll(r.Body)
			b = bytes.ReplaceAll(b, []byte(url.QueryEscape(upstreamSecret)), []byte(secret))
			r = r.Clone(r.Context())
			r.Body = io.NopCloser(bytes.NewReader(b))
			r.ContentLength = int64(len(b))
		}
		return rt.RoundTrip(r)
	}), base)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestReplayerMatchesMultipartRegardlessOfBoundary(t *testing.T) {
	build := func(boundary, name string, data []byte) (string, []byte) {
		var buf bytes.Buffer
		mw := multipart.NewWriter(&buf)
		_ = mw.SetBoundary(boundary)
		h := textproto.MIMEHeader{}
		h.Set("Content-Disposition", `form-data; name="file"; filename="logo.png"`)
		h.Set("Content-Type", "image/png")
		w, _ := mw.CreatePart(h)
		_, _ = w.Write(data)
		_ = mw.WriteField("Name", name)
		_ = mw.Close()
		return mw.FormDataContentType(), buf.Bytes()
	}
	png := []byte("\x89PNG\r\n\x1a\nbinary\xff\x00")
	srv := upstream(t)
	rec, _ := NewRecorder(srv.Client().Transport)
	ct, body := build("aaaaaaaaaaaaaaaa", "logo.png", png)
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/1.0/image/upload", bytes.NewReader(body))
	req.Header.Set("Content-Type", ct)
	resp, err := rec.RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	red, _ := NewRedactor()
	c, err := rec.Cassette(red, "upload", ProvenanceSynthetic, "")
	if err != nil {
		t.Fatal(err)
	}
	if got := c.Interactions[0].Request.Headers.Get("Content-Type"); got != "multipart/form-data; boundary="+RecordedBoundary {
		t.Errorf("recorded Content-Type %q: the boundary is not normalised", got)
	}
	if c.Interactions[0].Request.Base64 == "" {
		t.Fatalf("binary multipart body not stored as base64: %+v", c.Interactions[0].Request.Body)
	}
	saved, _ := c.Marshal()
	c2 := &Cassette{}
	if err := json.Unmarshal(saved, c2); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name  string
		data  []byte
		match bool
	}{{"logo.png", png, true}, {"other.png", png, false}, {"logo.png", append(png, 1), false}} {
		rp, _ := NewReplayer(c2)
		ct, body := build("bbbbbbbbbbbbbbbbbbbb", tc.name, tc.data)
		req, _ := http.NewRequest(http.MethodPost, "https://api.xink.invalid/api/1.0/image/upload", bytes.NewReader(body))
		req.Header.Set("Content-Type", ct)
		resp, err := rp.RoundTrip(req)
		if tc.match != (err == nil) {
			t.Errorf("Name=%q, %d bytes: err = %v, want match=%v", tc.name, len(tc.data), err, tc.match)
		}
		if err == nil {
			_ = resp.Body.Close()
		}
	}
}

func TestLoadRejectsBrokenCassettes(t *testing.T) {
	good := `{"version":1,"name":"x","provenance":"synthetic","interactions":[{"request":{"method":"GET","server":"api","path":"/a"},"response":{"status":200}}]}`
	cases := map[string]string{
		"bad provenance": strings.Replace(good, `"synthetic"`, `"guessed"`, 1),
		"bad version":    strings.Replace(good, `"version":1`, `"version":7`, 1),
		"no interaction": `{"version":1,"name":"x","provenance":"live","interactions":[]}`,
		"lower method":   strings.Replace(good, `"GET"`, `"get"`, 1),
		"bad status":     strings.Replace(good, `200`, `999`, 1),
		"unknown field":  strings.Replace(good, `"name"`, `"colour":"red","name"`, 1),
		"two bodies":     strings.Replace(good, `"status":200`, `"status":200,"body":{},"bodyText":"x"`, 1),
		"name mismatch":  strings.Replace(good, `"name":"x"`, `"name":"y"`, 1),
	}
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "x.json"), []byte(good), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Load(filepath.Join(dir, "x.json")); err != nil {
		t.Fatalf("good cassette rejected: %v", err)
	}
	for name, text := range cases {
		t.Run(name, func(t *testing.T) {
			p := filepath.Join(t.TempDir(), "x.json")
			if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
				t.Fatal(err)
			}
			if _, err := Load(p); err == nil {
				t.Errorf("Load accepted %s", text)
			}
		})
	}
}

func TestRedactorScrubsNamedSecretsEverywhere(t *testing.T) {
	const id, secret = "b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV", "p+a=s/s%é-secret"
	red, err := NewRedactor(WithSecrets(id, secret))
	if err != nil {
		t.Fatal(err)
	}
	raw := []RawInteraction{{
		Origin: "https://auth.xink.io",
		Request: Request{Method: "POST", Server: ServerAuth, Path: "/OAuth/Token", Query: "client_id=" + url.QueryEscape(id),
			Headers: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}},
			Body:    Body{Text: "grant_type=client_credentials&note=" + url.QueryEscape(secret)}},
		Response: Response{Status: 401, Headers: http.Header{"Content-Type": {"application/json"}, "Www-Authenticate": {`Basic realm="` + id + `"`}},
			Body: Body{JSON: json.RawMessage(`{"error":"invalid_client","error_description":"client ` + id + ` used secret ` + secret + `"}`)}},
	}}
	c, err := red.Redact("x", ProvenanceLive, "", raw)
	if err != nil {
		t.Fatal(err)
	}
	data, _ := c.Marshal()
	for _, s := range []string{id, url.QueryEscape(id), secret, url.QueryEscape(secret), "b6b5a1c3"} {
		if bytes.Contains(data, []byte(s)) {
			t.Errorf("recording still contains %q:\n%s", s, data)
		}
	}
	if !bytes.Contains(data, []byte(`client [REDACTED] used secret [REDACTED]`)) {
		t.Errorf("error description not scrubbed as expected:\n%s", data)
	}
	if _, err := NewRedactor(WithSecrets("abc")); err == nil {
		t.Error("a 3-byte secret was accepted")
	}
}
