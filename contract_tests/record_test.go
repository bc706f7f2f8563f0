package contracttests

import (
	"bytes"
	"encoding/json"
	"flag"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xink-go/xink-go/contract_tests/cassette"
	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

var regenerate = flag.Bool("regenerate", false,
	"rewrite testdata/recordings: synthetic cassettes recorded from the mock, token and discovery from Xink's documented examples (live cassettes are never overwritten)")

// syntheticKey makes the fakes in synthetic recordings stable between
// regenerations (the data is the mock's own; nothing to protect).
var syntheticKey = []byte("xink-go synthetic recordings, redaction key v1")

const syntheticPrefix = "SYNTHETIC: recorded from the xink-go mock (the project's working model), not from Xink; it shows what the model expects, not evidence. "

// Xink's documented examples (shared/xink-api.md, "Step 1: token" and
// "Step 2: discovery", EU example).
const (
	docsTokenResponse     = `{"access_token":"redacted-token-1","expires_in":7200}`
	docsDiscoveryResponse = `{"Success":true,"DataCenterID":"EU","APIRoot":"https://e-eu.xink.io","SyncRoot":"https://s-eu.xink.io","ImgRoot":"https://i-eu.xink.io","TrackingRoot":"https://t-eu.xink.io"}`
)

// docsDescriptions are the xink-docs cassettes and what they reproduce.
var docsDescriptions = map[string]string{
	"token": "XINK-DOCS: reproduces Xink's documented token exchange: POST /OAuth/Token, form-encoded client credentials, " +
		"answer with access_token and expires_in (2 hours by default). Fields Xink's example does not show are not included.",
	"discovery": "XINK-DOCS: reproduces Xink's documented discovery example for an EU account (DataCenterID, APIRoot, SyncRoot, " +
		"ImgRoot, TrackingRoot), after the documented token exchange.",
}

// TestRegenerateRecordings rewrites testdata/recordings when run with
// -regenerate (make record-synthetic); otherwise it does nothing.
func TestRegenerateRecordings(t *testing.T) {
	if !*regenerate {
		t.Skip("pass -regenerate (make record-synthetic) to rewrite testdata/recordings from the mock")
	}
	var scenarios []Scenario
	for _, s := range Scenarios() {
		if c, err := cassette.Load(filepath.Join(recordingsDir, s.Name+".json")); err == nil && c.Provenance == cassette.ProvenanceLive {
			t.Logf("keeping the live recording of %s", s.Name)
			continue
		}
		scenarios = append(scenarios, s)
	}
	// A fixed clock keeps dates (Created, Modified) stable between regenerations.
	fixed := time.Date(2026, 12, 1, 9, 30, 0, 0, time.UTC)
	m := mocktest.Start(t, mockserver.WithClock(func() time.Time { return fixed }))
	red, err := cassette.NewRedactor(cassette.WithKey(syntheticKey), cassette.WithKeep(SyntheticValues()...),
		cassette.WithSecrets(m.ClientID, m.ClientSecret))
	if err != nil {
		t.Fatal(err)
	}
	res, err := Record(t.Context(), RecordOptions{AuthURL: m.URL, ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		Dir: recordingsDir, Provenance: cassette.ProvenanceSynthetic, DescriptionPrefix: syntheticPrefix,
		Redactor: red, Spec: loadSpec(t), Scenarios: scenarios})
	if err != nil {
		t.Fatal(err)
	}
	for name, desc := range docsDescriptions {
		path := filepath.Join(recordingsDir, name+".json")
		c, err := cassette.Load(path)
		if err != nil {
			t.Fatal(err)
		}
		if c.Provenance == cassette.ProvenanceLive {
			continue
		}
		c.Provenance, c.Description = cassette.ProvenanceXinkDocs, desc
		for i := range c.Interactions {
			switch c.Interactions[i].OperationID {
			case "getToken":
				c.Interactions[i].Response.Body = cassette.Body{JSON: json.RawMessage(docsTokenResponse)}
			case "getDiscovery":
				c.Interactions[i].Response.Body = cassette.Body{JSON: json.RawMessage(docsDiscoveryResponse)}
			}
		}
		if _, err := c.Save(recordingsDir); err != nil {
			t.Fatal(err)
		}
	}
	t.Logf("wrote %d cassettes; skipped %v", len(res.Saved), res.Skipped)
}

// sniffer remembers every token and Authorization value that passes, to
// prove none reaches a saved file.
type sniffer struct {
	next    http.RoundTripper
	mu      sync.Mutex
	secrets []string
}

func (s *sniffer) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.next.RoundTrip(r)
	if err != nil {
		return nil, err
	}
	body, _ := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	resp.Body = io.NopCloser(bytes.NewReader(body))
	s.mu.Lock()
	defer s.mu.Unlock()
	if a := r.Header.Get("Authorization"); a != "" {
		_, cred, _ := strings.Cut(a, " ")
		s.secrets = append(s.secrets, cred)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if json.Unmarshal(body, &tok) == nil && tok.AccessToken != "" {
		s.secrets = append(s.secrets, tok.AccessToken)
	}
	return resp, nil
}

// TestRecordAgainstMockUpstream records scenarios with the mock as the
// upstream, proves the saved files hold no token, secret, client id or
// original personal data, and replays them green.
func TestRecordAgainstMockUpstream(t *testing.T) {
	m := mocktest.Start(t)
	sn := &sniffer{next: http.DefaultTransport}
	// No WithSecrets here: the structural redaction alone must keep the credentials out.
	red, err := cassette.NewRedactor(cassette.WithKeep(SyntheticValues()...))
	if err != nil {
		t.Fatal(err)
	}
	var chosen []Scenario
	for _, s := range Scenarios() {
		switch s.Name {
		case "employees_list", "employee_lifecycle", "managed_accounts", "shared_mailboxes", "signatures":
			chosen = append(chosen, s)
		}
	}
	dir := t.TempDir()
	res, err := Record(t.Context(), RecordOptions{AuthURL: m.URL, ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		Transport: sn, Dir: dir, Provenance: cassette.ProvenanceLive, Redactor: red, Spec: loadSpec(t), Scenarios: chosen})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Saved) != len(chosen) || len(res.Skipped) != 0 {
		t.Fatalf("saved %v, skipped %v; want all %d scenarios saved (the mock is loopback)", res.Saved, res.Skipped, len(chosen))
	}

	forbidden := []string{m.ClientSecret, m.ClientID, strings.TrimPrefix(m.URL, "http://")}
	forbidden = append(forbidden, sn.secrets...)
	if len(sn.secrets) == 0 {
		t.Fatal("the sniffer saw no token: the test would prove nothing")
	}
	personal := 0
	for _, acc := range mockserver.DefaultSeed().Accounts {
		for _, e := range acc.Employees {
			local, _, _ := strings.Cut(e.Email, "@")
			forbidden = append(forbidden, local+"@")
			for _, n := range []string{e.FirstName, e.LastName, e.DisplayName} {
				if len([]rune(n)) >= 2 {
					forbidden = append(forbidden, `"`+n+`"`)
				}
			}
			for _, f := range e.Fields {
				if f.Value != nil && (f.Name == "Phone" || f.Name == "Mobile") {
					forbidden = append(forbidden, *f.Value)
				}
			}
			personal++
		}
	}
	if personal == 0 {
		t.Fatal("the default seed has no employees: the test would prove nothing")
	}
	sawSeedEmployee := false
	for _, path := range res.Saved {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range forbidden {
			if f != "" && bytes.Contains(data, []byte(f)) {
				t.Errorf("%s still contains %q", filepath.Base(path), f)
			}
		}
		for _, h := range []string{`"Authorization"`, `"Cookie"`, `"Set-Cookie"`} {
			if bytes.Contains(data, []byte(h)) {
				t.Errorf("%s keeps header %s", filepath.Base(path), h)
			}
		}
		if bytes.Contains(data, []byte(`"Employees"`)) && bytes.Contains(data, []byte("person-")) {
			sawSeedEmployee = true
		}
	}
	if !sawSeedEmployee {
		t.Error("no saved employee list with redacted (person-...) emails: the recording did not include seed data")
	}

	// The saved files replay green: same scenarios, no network, every interaction used.
	for _, s := range chosen {
		c, err := cassette.Load(filepath.Join(dir, s.Name+".json"))
		if err != nil {
			t.Fatal(err)
		}
		replayScenario(t, s, c)
	}
}

// hostRewriter sends requests for any host to the mock's listener, so the
// recorder sees a non-loopback host while the mock answers.
type hostRewriter struct{ target string }

func (h hostRewriter) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.URL.Scheme, r.URL.Host = "http", h.target
	return http.DefaultTransport.RoundTrip(r)
}

// TestRecordIsReadOnlyAgainstRemoteHosts: against a non-loopback upstream,
// Record skips the writing scenarios unless writes are allowed, and the
// recorder refuses a write even if a scenario tries one.
func TestRecordIsReadOnlyAgainstRemoteHosts(t *testing.T) {
	const remote = "https://xink.example"
	m := mocktest.Start(t, mockserver.WithBaseURL(remote))
	rw := hostRewriter{target: strings.TrimPrefix(m.URL, "http://")}
	red, err := cassette.NewRedactor(cassette.WithKeep(SyntheticValues()...))
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	res, err := Record(t.Context(), RecordOptions{AuthURL: remote, ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		Transport: rw, Dir: dir, Provenance: cassette.ProvenanceLive, Redactor: red, Spec: loadSpec(t)})
	if err != nil {
		t.Fatal(err)
	}
	var writing, reading []string
	for _, s := range Scenarios() {
		if s.Writes {
			writing = append(writing, s.Name)
		} else {
			reading = append(reading, s.Name)
		}
	}
	if strings.Join(res.Skipped, ",") != strings.Join(writing, ",") || len(res.Saved) != len(reading) {
		t.Errorf("skipped %v, saved %d; want skipped %v and %d saved", res.Skipped, len(res.Saved), writing, len(reading))
	}
	for _, e := range m.Server.Journal() {
		if e.Method != http.MethodGet && !(e.Method == http.MethodPost && e.Path == "/OAuth/Token") {
			t.Errorf("a write reached the upstream: %s %s", e.Method, e.Path)
		}
	}

	// A writing scenario run through the recorder anyway is stopped before the write leaves.
	rec, err := cassette.NewRecorder(rw)
	if err != nil {
		t.Fatal(err)
	}
	env := &Env{AuthURL: remote, ClientID: m.ClientID, ClientSecret: m.ClientSecret, HTTP: &http.Client{Transport: rec}}
	var lifecycle Scenario
	for _, s := range Scenarios() {
		if s.Name == "employee_lifecycle" {
			lifecycle = s
		}
	}
	err = RunScenario(t.Context(), lifecycle, env)
	if err == nil || !strings.Contains(err.Error(), "unsafe method refused") {
		t.Errorf("employee_lifecycle through a read-only recorder: err = %v; want the unsafe-method refusal", err)
	}
	for _, e := range m.Server.Journal() {
		if e.Method == http.MethodPost && e.Path == "/api/1.0/employee" {
			t.Errorf("createEmployee reached the upstream despite the refusal")
		}
	}

	for _, bad := range []RecordOptions{
		{AuthURL: "not a url", ClientID: "a", ClientSecret: "b", Dir: dir, Provenance: "live", Redactor: red, Spec: loadSpec(t)},
		{AuthURL: remote, ClientSecret: "b", Dir: dir, Provenance: "live", Redactor: red, Spec: loadSpec(t)},
		{AuthURL: remote, ClientID: "a", ClientSecret: "b", Provenance: "live", Redactor: red, Spec: loadSpec(t)},
		{AuthURL: remote, ClientID: "a", ClientSecret: "b", Dir: dir, Provenance: "guessed", Redactor: red, Spec: loadSpec(t)},
		{AuthURL: remote, ClientID: "a", ClientSecret: "b", Dir: dir, Provenance: "live", Spec: loadSpec(t)},
	} {
		if _, err := Record(t.Context(), bad); err == nil {
			t.Errorf("Record accepted %+v", bad)
		}
	}
}
