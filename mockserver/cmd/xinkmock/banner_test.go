package main

import (
	"bytes"
	"net"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
)

// TestBannerShowsAnOverriddenDemoClient: --client with the demo client's id replaces it; the
// banner must not print the built-in secret, which the mock now refuses.
func TestBannerShowsAnOverriddenDemoClient(t *testing.T) {
	var c clientFlags
	if err := c.Set(mockserver.DemoClientID + ":other-secret:employeeread:US"); err != nil {
		t.Fatal(err)
	}
	if err := c.Set("ci@SRV:s3cret"); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	printBanner(&buf, "http://127.0.0.1:1", "http://127.0.0.1:1", false, c, true, "", false, 0)
	out := buf.String()
	if strings.Contains(out, mockserver.DemoClientSecret) {
		t.Errorf("the banner prints the replaced demo secret:\n%s", out)
	}
	for _, want := range []string{"replaced by --client", "employeeread (data center US)", "ci@SRV (secret from --client; all scopes, data center EU)", mockserver.PartnerClientSecret} {
		if !strings.Contains(out, want) {
			t.Errorf("the banner lacks %q:\n%s", want, out)
		}
	}
	if strings.Count(out, mockserver.DemoClientID) != 1 {
		t.Errorf("the demo id is listed %d times:\n%s", strings.Count(out, mockserver.DemoClientID), out)
	}
	// The override is real: the mock refuses the built-in secret.
	srv, err := mockserver.New(mockserver.WithClient(c[0]))
	if err != nil {
		t.Fatal(err)
	}
	for secret, want := range map[string]int{mockserver.DemoClientSecret: 401, "other-secret": 200} {
		req := httptest.NewRequest("POST", "/OAuth/Token", strings.NewReader("grant_type=client_credentials"))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.SetBasicAuth(mockserver.DemoClientID, secret)
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		if rec.Code != want {
			t.Errorf("demo id with secret %q: status %d, want %d", secret, rec.Code, want)
		}
	}
}

func TestExposureWarning(t *testing.T) {
	for _, tc := range []struct {
		ip   string
		warn bool
	}{
		{"127.0.0.1", false}, {"::1", false}, {"127.0.0.2", false},
		{"0.0.0.0", true}, {"::", true}, {"192.168.1.10", true},
	} {
		w := exposureWarning(&net.TCPAddr{IP: net.ParseIP(tc.ip), Port: 8080})
		if (w != "") != tc.warn {
			t.Errorf("%s: warning %q", tc.ip, w)
		}
		if tc.warn && !strings.Contains(w, "/_mock/") {
			t.Errorf("%s: the warning does not name the control API: %q", tc.ip, w)
		}
	}
}
