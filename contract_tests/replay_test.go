package contracttests

import (
	"net/http"
	"path/filepath"
	"testing"

	"github.com/xink-go/xink-go/contract_tests/cassette"
)

// replayScenario runs s against c through a Replayer wrapped in the
// validating transport, with credentials and hosts unlike the recorded ones.
func replayScenario(t *testing.T, s Scenario, c *cassette.Cassette) {
	t.Helper()
	rp, err := cassette.NewReplayer(c)
	if err != nil {
		t.Fatal(err)
	}
	vt := NewValidatingTransport(loadSpec(t), rp)
	env := &Env{AuthURL: "https://auth.xink.invalid", ClientID: "replay-client@SRV", ClientSecret: "replay-secret",
		HTTP: &http.Client{Transport: vt, CheckRedirect: NoRedirect}}
	if err := RunScenario(t.Context(), s, env); err != nil {
		t.Fatalf("scenario %s replayed from %s cassette: %v", s.Name, c.Provenance, err)
	}
	reportFailures(t, vt)
	if unused := rp.Unused(); len(unused) > 0 {
		t.Errorf("scenario %s did not replay interactions %v of its cassette: the scenario and the recording disagree", s.Name, unused)
	}
}

// TestScenariosReplay runs every scenario against its recording, with no
// network.
func TestScenariosReplay(t *testing.T) {
	for _, s := range Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			c, err := cassette.Load(filepath.Join(recordingsDir, s.Name+".json"))
			if err != nil {
				t.Fatalf("scenario %s has no usable recording (make record-synthetic writes one from the mock): %v", s.Name, err)
			}
			replayScenario(t, s, c)
		})
	}
}
