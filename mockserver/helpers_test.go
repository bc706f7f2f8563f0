package mockserver_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/oapi-codegen/nullable"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

// reply is one HTTP answer, decoded loosely.
type reply struct {
	Status int
	Header http.Header
	Body   []byte
}

func (r reply) json(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v: %s", err, r.Body)
	}
	return m
}

func (r reply) errText(t testing.TB) string {
	t.Helper()
	m := r.json(t)
	if m["Success"] != false {
		t.Fatalf("want Success false, got %s", r.Body)
	}
	s, _ := m["Error"].(string)
	return s
}

func send(t testing.TB, req *http.Request) reply {
	t.Helper()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("%s %s: %v", req.Method, req.URL, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("reading body: %v", err)
	}
	return reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
}

// tokenFor gets a token for the demo client by form credentials.
func tokenFor(t testing.TB, m *mocktest.Mock, scopes ...string) string {
	t.Helper()
	return tokenWith(t, m, m.ClientID, m.ClientSecret, scopes...)
}

func tokenWith(t testing.TB, m *mocktest.Mock, id, secret string, scopes ...string) string {
	t.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	if len(scopes) > 0 {
		form.Set("scope", strings.Join(scopes, " "))
	}
	req, _ := http.NewRequest(http.MethodPost, m.URL+"/OAuth/Token", strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	r := send(t, req)
	if r.Status != 200 {
		t.Fatalf("token: status %d: %s", r.Status, r.Body)
	}
	tok, _ := r.json(t)["access_token"].(string)
	if tok == "" {
		t.Fatalf("token: no access_token in %s", r.Body)
	}
	return tok
}

// api sends a JSON request with a bearer token; body may be nil, a string (sent raw) or a value.
func api(t testing.TB, m *mocktest.Mock, tok, method, path string, body any, hdr ...string) reply {
	t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		buf, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(buf)
	}
	req, err := http.NewRequest(method, m.URL+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	if rd != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if tok != "" {
		req.Header.Set("Authorization", "Bearer "+tok)
	}
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Set(hdr[i], hdr[i+1])
	}
	return send(t, req)
}

func wantStatus(t testing.TB, r reply, want int) {
	t.Helper()
	if r.Status != want {
		t.Fatalf("status %d, want %d; body: %s", r.Status, want, r.Body)
	}
}

func start(t testing.TB, opts ...mockserver.Option) (*mocktest.Mock, string) {
	t.Helper()
	m := mocktest.Start(t, opts...)
	return m, tokenFor(t, m)
}

func mustReq(t testing.TB, method, u string) *http.Request {
	t.Helper()
	req, err := http.NewRequest(method, u, nil)
	if err != nil {
		t.Fatal(err)
	}
	return req
}

func ioNopCloser(r io.Reader) io.ReadCloser { return io.NopCloser(r) }

type nullableStr = nullable.Nullable[string]
