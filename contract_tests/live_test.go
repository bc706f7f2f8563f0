//go:build live

package contracttests

import (
	"net/http"
	"os"
	"testing"

	"github.com/xink-go/xink-go/contract_tests/cassette"
)

// Live tests talk to the real Xink API. They need the `live` build tag and
// credentials in the environment, and never run in CI:
//
//	XINK_CLIENT_ID, XINK_CLIENT_SECRET  the API user's client credentials (required)
//	XINK_AUTH_URL                       authorization server (default https://auth.xink.io)
//	XINK_API_ROOT                       override the APIRoot discovery returns (optional)
//	XINK_LIVE_ALLOW_WRITES=1            also run scenarios that create/change/delete (their own objects only)
//	XINK_RECORD=1                       TestRecordLive records (make record)
//	XINK_RECORD_ALLOW_WRITES=1          let the recorder send POST/PUT/DELETE to the real API
//	XINK_RECORD_DIR                     where cassettes go (default testdata/recordings)

type liveConfig struct{ authURL, id, secret, apiRoot string }

func liveEnv(t *testing.T) liveConfig {
	t.Helper()
	c := liveConfig{authURL: os.Getenv("XINK_AUTH_URL"), id: os.Getenv("XINK_CLIENT_ID"),
		secret: os.Getenv("XINK_CLIENT_SECRET"), apiRoot: os.Getenv("XINK_API_ROOT")}
	if c.id == "" || c.secret == "" {
		t.Fatal("live tests need XINK_CLIENT_ID and XINK_CLIENT_SECRET (an API user's client credentials); " +
			"XINK_AUTH_URL defaults to https://auth.xink.io")
	}
	if c.authURL == "" {
		c.authURL = "https://auth.xink.io"
	}
	return c
}

// TestScenariosLive runs the scenario list against the real API; every
// response must conform to the spec. Writing scenarios run only with
// XINK_LIVE_ALLOW_WRITES=1, and then only touch objects they create.
func TestScenariosLive(t *testing.T) {
	cfg := liveEnv(t)
	allow := os.Getenv("XINK_LIVE_ALLOW_WRITES") == "1"
	for _, s := range Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			if s.Writes && !allow {
				t.Skipf("scenario %s writes; set XINK_LIVE_ALLOW_WRITES=1 to run it against the real account", s.Name)
			}
			// The recorder is only a guard here (unsafe methods refused unless allowed); nothing is saved.
			guard, err := cassette.NewRecorder(http.DefaultTransport, cassette.WithAllowWrites(allow))
			if err != nil {
				t.Fatal(err)
			}
			vt := NewValidatingTransport(loadSpec(t), guard)
			env := &Env{AuthURL: cfg.authURL, ClientID: cfg.id, ClientSecret: cfg.secret, APIRoot: cfg.apiRoot,
				HTTP: &http.Client{Transport: vt, CheckRedirect: NoRedirect}}
			if err := RunScenario(t.Context(), s, env); err != nil {
				t.Fatalf("scenario %s against the live API: %v", s.Name, err)
			}
			reportFailures(t, vt)
		})
	}
}

// TestRecordLive records the scenarios from the real API through the
// redacting recorder (make record). Conformance problems are logged, not
// fatal: the recordings are the evidence; run make drift to read them.
func TestRecordLive(t *testing.T) {
	if os.Getenv("XINK_RECORD") != "1" {
		t.Skip("set XINK_RECORD=1 (make record does) to record from the live API")
	}
	cfg := liveEnv(t)
	dir := os.Getenv("XINK_RECORD_DIR")
	if dir == "" {
		dir = recordingsDir
	}
	// WithSecrets scrubs the credentials wherever they might be echoed, on top of the structural redaction.
	red, err := cassette.NewRedactor(cassette.WithKeep(SyntheticValues()...), cassette.WithSecrets(cfg.id, cfg.secret))
	if err != nil {
		t.Fatal(err)
	}
	vt := NewValidatingTransport(loadSpec(t), http.DefaultTransport)
	res, err := Record(t.Context(), RecordOptions{AuthURL: cfg.authURL, ClientID: cfg.id, ClientSecret: cfg.secret, APIRoot: cfg.apiRoot,
		Transport: vt, Dir: dir, Provenance: cassette.ProvenanceLive,
		DescriptionPrefix: "LIVE: recorded from the real Xink API through the redacting recorder. ",
		AllowWrites:       os.Getenv("XINK_RECORD_ALLOW_WRITES") == "1", Redactor: red, Spec: loadSpec(t)})
	for _, p := range res.Saved {
		t.Logf("saved %s", p)
	}
	for _, s := range res.Skipped {
		t.Logf("skipped %s: it writes; set XINK_RECORD_ALLOW_WRITES=1 to record it", s)
	}
	for _, f := range vt.Failures() {
		t.Logf("does not conform (see make drift): %s", f)
	}
	if err != nil {
		t.Fatal(err)
	}
}
