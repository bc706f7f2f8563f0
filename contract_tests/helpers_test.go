package contracttests

import (
	"net/http"
	"sync"
	"testing"

	"github.com/xink-go/xink-go/contract_tests/conform"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

const recordingsDir = "testdata/recordings"

var (
	specOnce sync.Once
	spec     *conform.Spec
	specErr  error
)

func loadSpec(t testing.TB) *conform.Spec {
	t.Helper()
	specOnce.Do(func() { spec, specErr = conform.LoadSpec() })
	if specErr != nil {
		t.Fatal(specErr)
	}
	return spec
}

// mockEnv starts a fresh mock and returns an Env whose every response is
// validated against the spec.
func mockEnv(t *testing.T) (*Env, *mocktest.Mock, *ValidatingTransport) {
	t.Helper()
	m := mocktest.Start(t)
	vt := NewValidatingTransport(loadSpec(t), http.DefaultTransport)
	return &Env{AuthURL: m.URL, ClientID: m.ClientID, ClientSecret: m.ClientSecret,
		HTTP: &http.Client{Transport: vt, CheckRedirect: NoRedirect}}, m, vt
}

func reportFailures(t *testing.T, vt *ValidatingTransport) {
	t.Helper()
	for _, f := range vt.Failures() {
		t.Errorf("conformance: %s", f)
	}
}
