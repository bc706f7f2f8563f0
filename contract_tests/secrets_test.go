package contracttests

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"testing"

	"github.com/xink-go/xink-go/contract_tests/cassette"
	"github.com/xink-go/xink-go/mockserver"
)

// TestRecordingsHoldNoSecrets guards the committed recordings (including
// any live one someone adds): no credential header, secret or real token,
// and every email is either the scenarios' own synthetic data or a fake.
func TestRecordingsHoldNoSecrets(t *testing.T) {
	emailRe := regexp.MustCompile(`[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`)
	fakeRe := regexp.MustCompile(`^person-[0-9a-f]{10}@`)
	authRe := regexp.MustCompile(`^(|basic|bearer unissued|bearer redacted-token-[0-9]+)$`)
	tokenRe := regexp.MustCompile(`^redacted-token-[0-9]+$`)
	paths, err := filepath.Glob(filepath.Join(recordingsDir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no recordings (%v)", err)
	}
	keep := SyntheticValues()
	for _, p := range paths {
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		name := filepath.Base(p)
		for _, bad := range []string{`"Authorization"`, `"Cookie"`, `"Set-Cookie"`, "client_secret", "password",
			mockserver.DemoClientSecret, mockserver.DemoClientID} {
			if bytes.Contains(data, []byte(bad)) {
				t.Errorf("%s contains %q", name, bad)
			}
		}
		for _, e := range emailRe.FindAllString(string(data), -1) {
			if !slices.Contains(keep, e) && !fakeRe.MatchString(e) {
				t.Errorf("%s holds the email %q, neither synthetic test data nor a redacted fake", name, e)
			}
		}
		c, err := cassette.Load(p)
		if err != nil {
			t.Fatal(err)
		}
		for i, in := range c.Interactions {
			if !authRe.MatchString(in.Request.Auth) {
				t.Errorf("%s#%d: auth %q is not a redacted credential kind", name, i, in.Request.Auth)
			}
			var body map[string]any
			if json.Unmarshal(in.Response.JSON, &body) == nil {
				if tok, ok := body["access_token"].(string); ok && !tokenRe.MatchString(tok) {
					t.Errorf("%s#%d: access_token %q is not a placeholder", name, i, tok)
				}
			}
		}
	}
}
