package main

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/xink"
)

// TestLogsHoldNoSecretOrToken runs a full scenario (tokens by Basic and by form, refused
// secrets, discovery, reads, writes, an upload, errors, faults, revocation) against the
// binary at debug level, and through the client facade with its debug logger, then scans
// both logs, the journal and the state dump for every secret and every token that was
// sent or issued.
func TestLogsHoldNoSecretOrToken(t *testing.T) {
	const ciSecret, wrongSecret, bogusToken = "ci-s3cret-Zq81", "wrong-s3cret-Xv77", "bogus-token-Hh52"
	base, _, logs, stop := launch(t, "--log-level", "debug", "--client", "ci@SRV:"+ciSecret+":employeeread")
	secrets := []string{mockserver.DemoClientSecret, mockserver.PartnerClientSecret, ciSecret, wrongSecret, bogusToken}
	var tokens []string

	do := func(method, path, auth, ctype string, body []byte) (int, []byte) {
		t.Helper()
		req, err := http.NewRequest(method, base+path, bytes.NewReader(body))
		if err != nil {
			t.Fatal(err)
		}
		if auth != "" {
			req.Header.Set("Authorization", auth)
		}
		if ctype != "" {
			req.Header.Set("Content-Type", ctype)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, b
	}
	basic := func(id, secret string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(id+":"+secret))
	}
	issue := func(auth, form string) string {
		t.Helper()
		code, b := do("POST", "/OAuth/Token", auth, "application/x-www-form-urlencoded", []byte(form))
		var tr struct {
			AccessToken string `json:"access_token"`
		}
		if code != 200 || json.Unmarshal(b, &tr) != nil || tr.AccessToken == "" {
			t.Fatalf("token: %d %s", code, b)
		}
		tokens = append(tokens, tr.AccessToken)
		return tr.AccessToken
	}
	form := func(kv ...string) string {
		v := url.Values{}
		for i := 0; i+1 < len(kv); i += 2 {
			v.Set(kv[i], kv[i+1])
		}
		return v.Encode()
	}

	demo := issue(basic(mockserver.DemoClientID, mockserver.DemoClientSecret), "grant_type=client_credentials")
	issue(basic(url.QueryEscape(mockserver.DemoClientID), url.QueryEscape(mockserver.DemoClientSecret)), "grant_type=client_credentials&scope=employeeread")
	reader := issue("", form("grant_type", "client_credentials", "client_id", "ci@SRV", "client_secret", ciSecret))
	partner := issue(basic(mockserver.PartnerClientID, mockserver.PartnerClientSecret), "grant_type=client_credentials")
	for _, f := range []string{
		form("grant_type", "client_credentials", "client_id", mockserver.DemoClientID, "client_secret", wrongSecret),
		form("grant_type", "client_credentials", "client_secret", wrongSecret),
		form("grant_type", "password", "client_id", "ci@SRV", "client_secret", ciSecret),
	} {
		if code, b := do("POST", "/OAuth/Token", "", "application/x-www-form-urlencoded", []byte(f)); code == 200 {
			t.Fatalf("refused credentials got a token: %s", b)
		}
	}
	if code, _ := do("POST", "/OAuth/Token?client_secret="+wrongSecret, basic("ci@SRV", wrongSecret), "application/x-www-form-urlencoded", []byte("grant_type=client_credentials")); code == 200 {
		t.Fatal("a wrong Basic secret got a token")
	}

	bearer := "Bearer " + demo
	steps := []struct {
		method, path, auth, ctype, body string
		want                            int
	}{
		{"GET", "/Discovery", bearer, "", "", 200},
		{"GET", "/api/1.0/employee/list/0/5", bearer, "", "", 200},
		{"GET", "/api/1.0/employee/zoe.ostergaard@example.com/fields", bearer, "", "", 200},
		{"GET", "/api/1.0/employee/zoe.ostergaard@example.com/signatures", bearer, "", "", 200},
		{"POST", "/api/1.0/employee", bearer, "application/json", `{"Email":"scan@example.com","FirstName":"Scan"}`, 200},
		{"PUT", "/api/1.0/employee/scan@example.com/fields", bearer, "application/json", `{"Fields":[{"Name":"JobTitle","Value":"x"}]}`, 200},
		{"POST", "/api/1.0/employee", bearer, "application/json", `{"FirstName":"no email"}`, 400},
		{"GET", "/api/1.0/employee/nobody@example.com", bearer, "", "", 404},
		{"DELETE", "/api/1.0/employee/scan@example.com", "Bearer " + reader, "", "", 403},
		{"GET", "/api/1.0/managedaccounts/list", "Bearer " + partner, "", "", 200},
		{"GET", "/api/1.0/account/info", "Bearer " + bogusToken, "", "", 401},
		{"GET", "/api/1.0/account/info", basic("ci@SRV", ciSecret), "", "", 401},
		{"POST", "/_mock/faults", "", "application/json", `{"Operation":"getAccountInfo","Status":429,"Times":1}`, 200},
		{"GET", "/api/1.0/account/info", bearer, "", "", 429},
		{"DELETE", "/api/1.0/employee/scan@example.com", bearer, "", "", 200},
	}
	for _, s := range steps {
		if code, b := do(s.method, s.path, s.auth, s.ctype, []byte(s.body)); code != s.want {
			t.Fatalf("%s %s: %d, want %d: %s", s.method, s.path, code, s.want, b)
		}
	}
	// An upload, and the image fetched from its URL.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	w, _ := mw.CreateFormFile("file", "pixel.gif")
	_, _ = w.Write([]byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;"))
	_ = mw.Close()
	code, b := do("POST", "/api/1.0/image/upload", bearer, mw.FormDataContentType(), buf.Bytes())
	var up struct{ Image struct{ Url string } }
	if code != 200 || json.Unmarshal(b, &up) != nil {
		t.Fatalf("upload: %d %s", code, b)
	}
	if code, _ := do("GET", strings.TrimPrefix(up.Image.Url, base), "", "", nil); code != 200 {
		t.Fatalf("image: %d", code)
	}

	// The client facade, with its own debug log.
	var clientLog bytes.Buffer
	ctx := context.Background()
	c, err := xink.NewClient(ctx, xink.WithCredentials(mockserver.DemoClientID, mockserver.DemoClientSecret), xink.WithAuthURL(base),
		xink.WithLogger(slog.New(slog.NewTextHandler(&clientLog, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	if err != nil {
		t.Fatal(err)
	}
	tok, err := c.GetToken(ctx)
	if err != nil {
		t.Fatal(err)
	}
	tokens = append(tokens, tok.AccessToken)
	for _, err := range c.Employees(ctx) {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.SetEmployeeFields(ctx, "zoe.ostergaard@example.com", xink.FieldValue{Name: "JobTitle", Value: xink.Value("Scanner")}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.UploadImage(ctx, "p.gif", strings.NewReader("GIF89a\x01\x00\x01\x00\x00\x00\x00;")); err != nil {
		t.Fatal(err)
	}
	if _, err := c.GetEmployee(ctx, "nobody@example.com"); err == nil {
		t.Fatal("GetEmployee of nobody succeeded")
	}

	// Revocation through the control API carries a token in its body.
	body, _ := json.Marshal(map[string]string{"Token": tokens[1]})
	if code, b := do("POST", "/_mock/tokens/revoke", "", "application/json", body); code != 200 {
		t.Fatalf("revoke: %d %s", code, b)
	}
	_, journal := do("GET", "/_mock/journal", "", "", nil)
	_, state := do("GET", "/_mock/state", "", "", nil)
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	serverLog := logs.String()
	if n := strings.Count(serverLog, "msg=request "); n < 30 {
		t.Fatalf("only %d request lines in the server log: is the scenario logged at all?\n%s", n, serverLog)
	}
	if !strings.Contains(clientLog.String(), "xink: request") {
		t.Fatalf("the client's debug log has no request lines:\n%s", clientLog.String())
	}
	for _, sink := range []struct {
		name, text string
	}{{"server log", serverLog}, {"client log", clientLog.String()}, {"journal", string(journal)}, {"state dump", string(state)}} {
		for _, s := range secrets {
			if strings.Contains(sink.text, s) || strings.Contains(sink.text, url.QueryEscape(s)) {
				t.Errorf("the %s holds the secret %q", sink.name, s)
			}
		}
		for _, tk := range tokens {
			if strings.Contains(sink.text, tk) {
				t.Errorf("the %s holds an issued token", sink.name)
			}
		}
		for _, cred := range []string{mockserver.DemoClientID + ":" + mockserver.DemoClientSecret, "ci@SRV:" + ciSecret, "ci@SRV:" + wrongSecret} {
			if strings.Contains(sink.text, base64.StdEncoding.EncodeToString([]byte(cred))) {
				t.Errorf("the %s holds a Basic credential", sink.name)
			}
		}
	}
	t.Logf("scanned %d bytes of server log, %d of client log, %d secrets, %d tokens", len(serverLog), clientLog.Len(), len(secrets), len(tokens))
}
