// Package mocktest starts the xinkmock server inside a Go test.
//
//	m := mocktest.Start(t)
//	// m.URL is the token/discovery base URL; m.APIRoot what Discovery returns;
//	// m.ClientID / m.ClientSecret the demo client's credentials.
//
// The mock listens on 127.0.0.1 with an ephemeral port, validates every response it sends
// against the spec (strict mode), and is closed by t.Cleanup, which also fails the test if
// any response failed strict validation.
package mocktest

import (
	"net"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
)

// Mock is a running mock server.
type Mock struct {
	URL          string // base URL, e.g. http://127.0.0.1:41234 (token endpoint and Discovery live here)
	APIRoot      string // what Discovery returns as the demo client's APIRoot (URL, or URL+"/dc/eu" with WithDataCenterRoots)
	ImgRoot      string // what Discovery returns as ImgRoot (URL + "/img")
	ClientID     string // the demo client
	ClientSecret string
	Server       *mockserver.Server
}

// Start runs the mock on 127.0.0.1:0 with strict responses on, registers t.Cleanup, and fails
// the test at cleanup if any response failed strict validation. Options are passed to
// mockserver.New after the helper's own (so they can override them); an invalid option
// fails the test at once.
func Start(t testing.TB, opts ...mockserver.Option) *Mock {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("mocktest: listening on 127.0.0.1:0: %v", err)
	}
	base := "http://" + l.Addr().String()
	all := append([]mockserver.Option{mockserver.WithStrictResponses(true), mockserver.WithBaseURL(base)}, opts...)
	srv, err := mockserver.New(all...)
	if err != nil {
		_ = l.Close()
		t.Fatalf("mocktest: starting the mock: %v", err)
	}
	ts := &httptest.Server{Listener: l, Config: &http.Server{Handler: srv}}
	ts.Start()
	t.Cleanup(func() {
		ts.Close()
		if v := srv.StrictViolations(); len(v) > 0 {
			for _, s := range v {
				t.Errorf("mocktest: a mock response did not match the spec: %s", s)
			}
		}
	})
	return &Mock{
		URL:          base,
		APIRoot:      srv.APIRootFor(mockserver.DemoClientID),
		ImgRoot:      base + mockserver.ImgPath,
		ClientID:     mockserver.DemoClientID,
		ClientSecret: mockserver.DemoClientSecret,
		Server:       srv,
	}
}
