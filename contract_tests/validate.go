package contracttests

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
	"sort"
	"sync"

	"github.com/xink-go/xink-go/contract_tests/conform"
)

// ValidatingTransport is an http.RoundTripper that checks every response it
// passes on: it must validate against the spec on its raw bytes and decode
// into the generated types and re-encode without loss. Problems are
// collected (Failures), not returned, so a scenario still sees the response.
type ValidatingTransport struct {
	next http.RoundTripper
	spec *conform.Spec

	mu       sync.Mutex
	failures []string
	seen     map[string]map[int]int
}

// NewValidatingTransport wraps next (http.DefaultTransport if nil).
func NewValidatingTransport(spec *conform.Spec, next http.RoundTripper) *ValidatingTransport {
	if next == nil {
		next = http.DefaultTransport
	}
	return &ValidatingTransport{next: next, spec: spec, seen: map[string]map[int]int{}}
}

// RoundTrip implements http.RoundTripper.
func (v *ValidatingTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := v.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, err
	}
	resp.Body = io.NopCloser(bytes.NewReader(body))
	path := req.URL.EscapedPath()
	op := v.spec.OperationID(req.Method, path)
	var problems []string
	if op == "" {
		problems = append(problems, fmt.Sprintf("%s %s: no operation in the spec", req.Method, path))
	} else {
		if err := v.spec.ValidateResponse(req.Context(), req.Method, path, req.URL.RawQuery, resp.StatusCode, resp.Header, body); err != nil {
			problems = append(problems, err.Error())
		}
		if err := conform.DecodeReencode(op, resp.StatusCode, resp.Header, body); err != nil {
			problems = append(problems, err.Error())
		}
	}
	v.mu.Lock()
	v.failures = append(v.failures, problems...)
	if op != "" {
		if v.seen[op] == nil {
			v.seen[op] = map[int]int{}
		}
		v.seen[op][resp.StatusCode]++
	}
	v.mu.Unlock()
	return resp, nil
}

// Failures returns every problem found so far.
func (v *ValidatingTransport) Failures() []string {
	v.mu.Lock()
	defer v.mu.Unlock()
	return append([]string(nil), v.failures...)
}

// Seen returns the operations that answered, with a count per status.
func (v *ValidatingTransport) Seen() map[string]map[int]int {
	v.mu.Lock()
	defer v.mu.Unlock()
	out := make(map[string]map[int]int, len(v.seen))
	for op, st := range v.seen {
		out[op] = map[int]int{}
		for s, n := range st {
			out[op][s] = n
		}
	}
	return out
}

// SeenOperations returns the sorted operation ids that answered.
func (v *ValidatingTransport) SeenOperations() []string {
	seen := v.Seen()
	out := make([]string, 0, len(seen))
	for op := range seen {
		out = append(out, op)
	}
	sort.Strings(out)
	return out
}

// NoRedirect makes an http.Client return redirects instead of following
// them (a redirect from the API is a bug to see, not to follow; pitfalls
// row 6).
func NoRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
