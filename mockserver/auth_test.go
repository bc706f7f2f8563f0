package mockserver_test

import (
	"context"
	"encoding/base64"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

// tokenRequest posts a token request with an optional raw Authorization header.
func tokenRequest(t *testing.T, m *mocktest.Mock, contentType, body, authorization string) reply {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, m.URL+"/OAuth/Token", strings.NewReader(body))
	req.Header.Set("Content-Type", contentType)
	if authorization != "" {
		req.Header.Set("Authorization", authorization)
	}
	return send(t, req)
}

func basic(id, secret string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
}

const form = "application/x-www-form-urlencoded"

func TestTokenClientAuthentication(t *testing.T) {
	const odd = "p+a=s/s%é:x" // RFC 6749 form-escaping changes every one of these characters
	m := mocktest.Start(t, mockserver.WithClient(mockserver.Client{ID: "odd-client@SRV", Secret: odd, Scopes: []string{"employeeread"}}))
	esc := url.QueryEscape
	tests := []struct {
		name, body, auth string
		wantStatus       int
		wantError        string
	}{
		{"basic raw id@SRV", "grant_type=client_credentials", basic(m.ClientID, m.ClientSecret), 200, ""},
		{"basic RFC 6749 escaped id%40SRV", "grant_type=client_credentials", basic(esc(m.ClientID), esc(m.ClientSecret)), 200, ""},
		{"basic raw odd secret", "grant_type=client_credentials", basic("odd-client@SRV", odd), 200, ""},
		{"basic escaped odd secret", "grant_type=client_credentials", basic(esc("odd-client@SRV"), esc(odd)), 200, ""},
		{"form credentials", url.Values{"grant_type": {"client_credentials"}, "client_id": {m.ClientID}, "client_secret": {m.ClientSecret}}.Encode(), "", 200, ""},
		{"form odd secret", url.Values{"grant_type": {"client_credentials"}, "client_id": {"odd-client@SRV"}, "client_secret": {odd}}.Encode(), "", 200, ""},
		{"wrong secret", "grant_type=client_credentials", basic(m.ClientID, "nope"), 401, "invalid_client"},
		{"wrong secret in form", url.Values{"grant_type": {"client_credentials"}, "client_id": {m.ClientID}, "client_secret": {"nope"}}.Encode(), "", 401, "invalid_client"},
		{"unknown client", "grant_type=client_credentials", basic("nobody@SRV", "x"), 401, "invalid_client"},
		{"no credentials", "grant_type=client_credentials", "", 400, "invalid_request"},
		{"bad grant type", "grant_type=password", basic(m.ClientID, m.ClientSecret), 400, "unsupported_grant_type"},
		{"missing grant type", "scope=employeeread", basic(m.ClientID, m.ClientSecret), 400, "invalid_request"},
		{"scope outside the client's", "grant_type=client_credentials&scope=employeectrl", basic("odd-client@SRV", odd), 400, "invalid_scope"},
		{"unknown scope", "grant_type=client_credentials&scope=everything", basic(m.ClientID, m.ClientSecret), 400, "invalid_scope"},
		{"two authentication methods", "grant_type=client_credentials&client_secret=x", basic(m.ClientID, m.ClientSecret), 400, "invalid_request"},
		{"bearer instead of basic", "grant_type=client_credentials", "Bearer abc", 400, "invalid_request"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r := tokenRequest(t, m, form, tc.body, tc.auth)
			wantStatus(t, r, tc.wantStatus)
			body := r.json(t)
			if r.Header.Get("Cache-Control") != "no-store" {
				t.Errorf("Cache-Control = %q, want no-store", r.Header.Get("Cache-Control"))
			}
			if tc.wantError == "" {
				tok, _ := body["access_token"].(string)
				if raw, err := base64.RawURLEncoding.DecodeString(tok); err != nil || len(raw) != 32 {
					t.Errorf("access_token %q is not 256 random bits in base64url", tok)
				}
				if body["token_type"] != "bearer" || body["expires_in"] != float64(7200) {
					t.Errorf("token_type/expires_in: %s", r.Body)
				}
				return
			}
			if body["error"] != tc.wantError {
				t.Errorf("error = %v, want %s (%s)", body["error"], tc.wantError, r.Body)
			}
			if d, _ := body["error_description"].(string); d == "" {
				t.Errorf("no error_description: %s", r.Body)
			}
			if tc.wantStatus == 401 && strings.HasPrefix(tc.auth, "Basic") && r.Header.Get("WWW-Authenticate") != `Basic realm="xink"` {
				t.Errorf("WWW-Authenticate = %q", r.Header.Get("WWW-Authenticate"))
			}
		})
	}
	t.Run("JSON body", func(t *testing.T) {
		r := tokenRequest(t, m, "application/json", `{"grant_type":"client_credentials","client_id":"`+m.ClientID+`","client_secret":"`+m.ClientSecret+`"}`, "")
		wantStatus(t, r, 400)
		if b := r.json(t); b["error"] != "invalid_request" || !strings.Contains(b["error_description"].(string), "Content-Type") {
			t.Errorf("body %s", r.Body)
		}
	})
	t.Run("credentials in the query string", func(t *testing.T) {
		req, _ := http.NewRequest(http.MethodPost, m.URL+"/OAuth/Token?client_secret="+m.ClientSecret, strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", form)
		req.Header.Set("Authorization", basic(m.ClientID, m.ClientSecret))
		r := send(t, req)
		wantStatus(t, r, 400)
	})
	if n := m.Server.TokensIssued(); n != 6 {
		t.Errorf("TokensIssued = %d, want 6", n)
	}
}

func TestTokenScopes(t *testing.T) {
	m := mocktest.Start(t, mockserver.WithClient(mockserver.Client{ID: "reader@SRV", Secret: "s", Scopes: []string{"employeeread", "employeefieldsread"}}))
	// Empty scope: every scope of the client.
	r := tokenRequest(t, m, form, "grant_type=client_credentials", basic("reader@SRV", "s"))
	wantStatus(t, r, 200)
	if got := r.json(t)["scope"]; got != "employeeread employeefieldsread" {
		t.Errorf("scope = %v", got)
	}
	// A subset is granted as asked, and the token carries only that.
	r = tokenRequest(t, m, form, "grant_type=client_credentials&scope=employeefieldsread", basic("reader@SRV", "s"))
	wantStatus(t, r, 200)
	tok := r.json(t)["access_token"].(string)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/zoe.ostergaard@example.com/fields", nil), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/list", nil), 403)
}

func TestBearerFailures(t *testing.T) {
	m, tok := start(t)
	check := func(t *testing.T, r reply, desc string) {
		t.Helper()
		wantStatus(t, r, 401)
		h := r.Header.Get("WWW-Authenticate")
		if !strings.HasPrefix(h, "Bearer ") || !strings.Contains(h, `error="invalid_token"`) {
			t.Errorf("WWW-Authenticate = %q", h)
		}
		if got := r.errText(t); !strings.Contains(got, desc) {
			t.Errorf("Error = %q, want it to mention %q", got, desc)
		}
	}
	t.Run("missing", func(t *testing.T) { check(t, api(t, m, "", "GET", "/api/1.0/employee/list", nil), "missing") })
	t.Run("unknown", func(t *testing.T) { check(t, api(t, m, "not-a-token", "GET", "/Discovery", nil), "unknown") })
	t.Run("not bearer", func(t *testing.T) {
		check(t, api(t, m, "", "GET", "/api/1.0/account/info", nil, "Authorization", basic("a", "b")), "not a Bearer")
	})
	t.Run("revoked", func(t *testing.T) {
		tok2 := tokenFor(t, m)
		wantStatus(t, api(t, m, tok2, "GET", "/api/1.0/account/info", nil), 200)
		if !m.Server.RevokeToken(tok2) {
			t.Fatal("RevokeToken: token not live")
		}
		check(t, api(t, m, tok2, "GET", "/api/1.0/account/info", nil), "revoked")
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/account/info", nil), 200) // others unaffected
	})
	t.Run("expired", func(t *testing.T) {
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/account/info", nil), 200)
		m.Server.Advance(7199 * time.Second)
		wantStatus(t, api(t, m, tok, "GET", "/api/1.0/account/info", nil), 200)
		m.Server.Advance(time.Second)
		check(t, api(t, m, tok, "GET", "/api/1.0/account/info", nil), "expired")
	})
	t.Run("revoke all", func(t *testing.T) {
		a, b := tokenFor(t, m), tokenFor(t, m)
		if n := m.Server.RevokeAllTokens(); n < 2 {
			t.Fatalf("RevokeAllTokens = %d", n)
		}
		check(t, api(t, m, a, "GET", "/Discovery", nil), "revoked")
		check(t, api(t, m, b, "GET", "/Discovery", nil), "revoked")
	})
}

func TestTokenTTLOption(t *testing.T) {
	m := mocktest.Start(t, mockserver.WithTokenTTL(90*time.Second))
	r := tokenRequest(t, m, form, "grant_type=client_credentials", basic(m.ClientID, m.ClientSecret))
	wantStatus(t, r, 200)
	if got := r.json(t)["expires_in"]; got != float64(90) {
		t.Errorf("expires_in = %v, want 90", got)
	}
	tok := r.json(t)["access_token"].(string)
	m.Server.Advance(90 * time.Second)
	wantStatus(t, api(t, m, tok, "GET", "/Discovery", nil), 401)
}

func TestXOAuth2ClientCredentials(t *testing.T) {
	m := mocktest.Start(t)
	for _, style := range []oauth2.AuthStyle{oauth2.AuthStyleAutoDetect, oauth2.AuthStyleInHeader, oauth2.AuthStyleInParams} {
		t.Run(map[oauth2.AuthStyle]string{0: "AutoDetect", 1: "InParams", 2: "InHeader"}[style], func(t *testing.T) {
			cfg := clientcredentials.Config{ClientID: m.ClientID, ClientSecret: m.ClientSecret, TokenURL: m.URL + "/OAuth/Token", Scopes: []string{"employeeread", "employeesignaturesread"}, AuthStyle: style}
			tok, err := cfg.Token(context.Background())
			if err != nil {
				t.Fatalf("Token: %v", err)
			}
			if tok.AccessToken == "" || time.Until(tok.Expiry) < 7100*time.Second {
				t.Fatalf("token %+v", tok)
			}
			hc := cfg.Client(context.Background())
			resp, err := hc.Get(m.APIRoot + "/api/1.0/employee/list/0/2")
			if err != nil {
				t.Fatal(err)
			}
			_ = resp.Body.Close()
			if resp.StatusCode != 200 {
				t.Fatalf("list with the x/oauth2 client: %d", resp.StatusCode)
			}
		})
	}
	// The client sent "id%40SRV" in Basic for InHeader and AutoDetect; the journal shows the
	// token requests all succeeded for the demo client.
	n := 0
	for _, e := range m.Server.Journal() {
		if e.OperationID == "getToken" && e.Status == 200 && e.ClientID == m.ClientID {
			n++
		}
	}
	if n != 6 { // Token, then Client fetches its own
		t.Errorf("successful token requests = %d, want 6", n)
	}
}

func TestDiscoveryPerClientDataCenter(t *testing.T) {
	var clients []mockserver.Option
	for _, dc := range mockserver.DataCenters() {
		clients = append(clients, mockserver.WithClient(mockserver.Client{ID: "c-" + dc + "@SRV", Secret: "s", DataCenter: dc}))
	}
	m := mocktest.Start(t, clients...)
	for _, dc := range mockserver.DataCenters() {
		tok := tokenWith(t, m, "c-"+dc+"@SRV", "s")
		r := api(t, m, tok, "GET", "/Discovery", nil)
		wantStatus(t, r, 200)
		b := r.json(t)
		if b["DataCenterID"] != dc || b["APIRoot"] != m.APIRoot || b["ImgRoot"] != m.ImgRoot {
			t.Errorf("%s: discovery %s", dc, r.Body)
		}
		ai := api(t, m, tok, "GET", "/api/1.0/account/info", nil).json(t)
		if ai["DataCenterID"] != dc {
			t.Errorf("%s: account info DataCenterID %v", dc, ai["DataCenterID"])
		}
	}
}

func TestClientOptionValidation(t *testing.T) {
	bad := []mockserver.Client{
		{ID: "", Secret: "s"},
		{ID: "a:b", Secret: "s"},
		{ID: "a", Secret: ""},
		{ID: "a", Secret: "s", Scopes: []string{"root"}},
		{ID: "a", Secret: "s", DataCenter: "MARS"},
		{ID: "a", Secret: "s", AccountID: "no-such-account"},
	}
	for _, c := range bad {
		if _, err := mockserver.New(mockserver.WithClient(c)); err == nil {
			t.Errorf("New(WithClient(%+v)) succeeded, want an error", c)
		}
	}
	for _, o := range []mockserver.Option{mockserver.WithTokenTTL(0), mockserver.WithBaseURL("ftp://x"), mockserver.WithBaseURL("http://x/path"), mockserver.WithMaxUploadBytes(0), mockserver.WithSeed(nil), mockserver.WithClock(nil), mockserver.WithLogger(nil), nil} {
		if _, err := mockserver.New(o); err == nil {
			t.Errorf("an invalid option was accepted")
		}
	}
}

// TestForbiddenPerScope sends, for every operation of the spec that needs a scope, a request
// with a token holding every other scope: each must get 403 naming the scope (RFC 6750).
func TestForbiddenPerScope(t *testing.T) {
	m := mocktest.Start(t)
	ops := specOperations(t)
	seen := map[string]int{}
	for _, op := range ops {
		for _, scope := range op.scopes {
			others := slices.DeleteFunc(slices.Clone(mockserver.AllScopes()), func(s string) bool { return s == scope })
			tok := tokenFor(t, m, others...)
			r := api(t, m, tok, op.method, op.examplePath, op.exampleBody)
			if r.Status != 403 {
				t.Errorf("%s %s without %s: status %d, want 403: %s", op.method, op.examplePath, scope, r.Status, r.Body)
				continue
			}
			h := r.Header.Get("WWW-Authenticate")
			if !strings.Contains(h, `error="insufficient_scope"`) || !strings.Contains(h, `scope="`+scope+`"`) {
				t.Errorf("%s: WWW-Authenticate = %q", op.id, h)
			}
			if !strings.Contains(r.errText(t), scope) {
				t.Errorf("%s: Error does not name %s: %s", op.id, scope, r.Body)
			}
			// With the scope, the same request is not forbidden.
			if r := api(t, m, tokenFor(t, m, scope), op.method, op.examplePath, op.exampleBody); r.Status == 403 || r.Status == 401 {
				t.Errorf("%s with %s: status %d: %s", op.id, scope, r.Status, r.Body)
			}
			seen[scope]++
		}
	}
	for _, sc := range mockserver.AllScopes() {
		if seen[sc] == 0 {
			t.Errorf("no operation tested for scope %s", sc)
		}
	}
	m.Server.Reset()
}

func TestDataCenterRoots(t *testing.T) {
	m := mocktest.Start(t, mockserver.WithDataCenterRoots(true), mockserver.WithClient(mockserver.Client{ID: "us@SRV", Secret: "s", DataCenter: "US"}))
	if m.APIRoot != m.URL+"/dc/eu" {
		t.Fatalf("APIRoot %q", m.APIRoot)
	}
	eu, us := tokenFor(t, m), tokenWith(t, m, "us@SRV", "s")
	d := api(t, m, us, "GET", "/Discovery", nil).json(t)
	if d["APIRoot"] != m.URL+"/dc/us" || d["DataCenterID"] != "US" || d["ImgRoot"] != m.URL+"/img" {
		t.Fatalf("discovery %v", d)
	}
	wantStatus(t, api(t, m, eu, "GET", "/dc/eu/api/1.0/employee/list/0/2", nil), 200)
	wantStatus(t, api(t, m, us, "GET", "/dc/us/api/1.0/employee/zoe.ostergaard@example.com/fields", nil), 200)
	// Another data center's root refuses the token; the auth host serves no API.
	r := api(t, m, eu, "GET", "/dc/us/api/1.0/employee/list", nil)
	wantStatus(t, r, 401)
	if !strings.Contains(r.errText(t), "data center EU") {
		t.Errorf("401 text %s", r.Body)
	}
	wantStatus(t, api(t, m, eu, "GET", "/api/1.0/employee/list", nil), 404)
	wantStatus(t, api(t, m, eu, "GET", "/dc/mars/api/1.0/employee/list", nil), 404)
	wantStatus(t, api(t, m, eu, "GET", "/dc/eu/Discovery", nil), 404)
	// Validation and faults work the same under a root; the journal keeps the path as sent.
	wantStatus(t, api(t, m, eu, "POST", "/dc/eu/api/1.0/employee", `{}`), 400)
	var last mockserver.JournalEntry
	for _, e := range m.Server.Journal() {
		last = e
	}
	if last.Path != "/dc/eu/api/1.0/employee" || last.OperationID != "createEmployee" {
		t.Errorf("journal %+v", last)
	}
	// Without the option, APIRoot is the base URL and /dc/ is not served.
	m2 := mocktest.Start(t)
	if m2.APIRoot != m2.URL {
		t.Errorf("APIRoot %q without the option", m2.APIRoot)
	}
	wantStatus(t, api(t, m2, tokenFor(t, m2), "GET", "/dc/eu/api/1.0/employee/list", nil), 404)
}
