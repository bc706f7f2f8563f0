package mocktest_test

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

func TestStart(t *testing.T) {
	m := mocktest.Start(t, mockserver.WithTokenTTL(600e9))
	if !strings.HasPrefix(m.URL, "http://127.0.0.1:") || m.APIRoot != m.URL || m.ImgRoot != m.URL+"/img" {
		t.Fatalf("URLs %+v", m)
	}
	req, _ := http.NewRequest("POST", m.URL+"/OAuth/Token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(m.ClientID, m.ClientSecret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || resp.StatusCode != 200 || tok.ExpiresIn != 600 {
		t.Fatalf("token: %d %+v %v (the option did not reach the mock?)", resp.StatusCode, tok, err)
	}
	// Discovery names the helper's URLs.
	req, _ = http.NewRequest("GET", m.URL+"/Discovery", nil)
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	var d map[string]any
	_ = json.NewDecoder(resp2.Body).Decode(&d)
	if d["APIRoot"] != m.APIRoot || d["ImgRoot"] != m.ImgRoot {
		t.Errorf("discovery %v vs helper %+v", d, m)
	}
}

// fakeTB records what Start reports.
type fakeTB struct {
	testing.TB
	fatal    string
	cleanups []func()
}

func (f *fakeTB) Helper()                           {}
func (f *fakeTB) Cleanup(fn func())                 { f.cleanups = append(f.cleanups, fn) }
func (f *fakeTB) Fatalf(format string, args ...any) { f.fatal = format; panic(f) }

func TestStartFailsOnABadOption(t *testing.T) {
	f := &fakeTB{TB: t}
	func() {
		defer func() { _ = recover() }()
		mocktest.Start(f, mockserver.WithTokenTTL(0))
	}()
	if !strings.Contains(f.fatal, "starting the mock") {
		t.Errorf("Start did not fail the test: %q", f.fatal)
	}
}
