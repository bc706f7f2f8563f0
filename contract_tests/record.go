package contracttests

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"

	"github.com/xink-go/xink-go/contract_tests/cassette"
	"github.com/xink-go/xink-go/contract_tests/conform"
)

// RecordOptions configures Record.
type RecordOptions struct {
	// AuthURL is the upstream authorization server (token and discovery).
	AuthURL string
	// ClientID and ClientSecret are the upstream client credentials.
	ClientID, ClientSecret string
	// APIRoot, when set, overrides the APIRoot discovery returns.
	APIRoot string
	// Transport reaches the upstream (http.DefaultTransport if nil).
	Transport http.RoundTripper
	// Dir is where cassettes are written.
	Dir string
	// Provenance is written into every cassette (live for a real upstream).
	Provenance string
	// DescriptionPrefix starts every cassette's description (e.g. "LIVE: ...").
	DescriptionPrefix string
	// AllowWrites lets scenarios that create, change or delete run against a
	// non-loopback upstream. Without it they are skipped (and reported), and
	// the recorder refuses any unsafe method anyway.
	AllowWrites bool
	// Redactor redacts before saving (required).
	Redactor *cassette.Redactor
	// Spec names the operation of each request (required).
	Spec *conform.Spec
	// Scenarios to run (Scenarios() if nil).
	Scenarios []Scenario
}

// RecordResult says what Record did.
type RecordResult struct {
	// Saved lists the cassette files written.
	Saved []string
	// Skipped lists scenarios not run because they write and writes were
	// not allowed against a non-loopback upstream.
	Skipped []string
}

// Record runs scenarios against a real upstream through the redacting
// recorder and saves one cassette per scenario. It stops at the first
// scenario that fails (nothing of that scenario is saved).
func Record(ctx context.Context, o RecordOptions) (RecordResult, error) {
	var res RecordResult
	u, err := url.Parse(o.AuthURL)
	switch {
	case err != nil || u.Scheme == "" || u.Host == "":
		return res, fmt.Errorf("record: AuthURL %q is not an absolute URL", o.AuthURL)
	case o.ClientID == "" || o.ClientSecret == "":
		return res, errors.New("record: client id and secret are required")
	case o.Dir == "":
		return res, errors.New("record: Dir is required")
	case o.Redactor == nil || o.Spec == nil:
		return res, errors.New("record: Redactor and Spec are required")
	}
	switch o.Provenance {
	case cassette.ProvenanceLive, cassette.ProvenanceSynthetic, cassette.ProvenanceXinkDocs:
	default:
		return res, fmt.Errorf("record: provenance %q is not live, synthetic or xink-docs", o.Provenance)
	}
	scenarios := o.Scenarios
	if scenarios == nil {
		scenarios = Scenarios()
	}
	loopback := cassette.IsLoopback(u.Host)
	for _, s := range scenarios {
		if s.Writes && !o.AllowWrites && !loopback {
			res.Skipped = append(res.Skipped, s.Name)
			continue
		}
		rec, err := cassette.NewRecorder(o.Transport, cassette.WithAllowWrites(o.AllowWrites),
			cassette.WithOperationNamer(o.Spec.OperationID))
		if err != nil {
			return res, err
		}
		env := &Env{AuthURL: o.AuthURL, ClientID: o.ClientID, ClientSecret: o.ClientSecret, APIRoot: o.APIRoot,
			HTTP: &http.Client{Transport: rec, CheckRedirect: NoRedirect}}
		if err := RunScenario(ctx, s, env); err != nil {
			return res, fmt.Errorf("record: scenario %s: %w", s.Name, err)
		}
		c, err := rec.Cassette(o.Redactor, s.Name, o.Provenance, o.DescriptionPrefix+s.Description)
		if err != nil {
			return res, fmt.Errorf("record: scenario %s: %w", s.Name, err)
		}
		path, err := c.Save(o.Dir)
		if err != nil {
			return res, fmt.Errorf("record: scenario %s: %w", s.Name, err)
		}
		res.Saved = append(res.Saved, path)
	}
	return res, nil
}
