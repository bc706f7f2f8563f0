package cassette

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"sync"
)

// ErrUnsafeMethod is returned by Recorder.RoundTrip for a POST, PUT, PATCH or
// DELETE to a host that is not loopback, unless WithAllowWrites(true) was
// given. The token request (POST /OAuth/Token) is exempt: it changes nothing.
var ErrUnsafeMethod = errors.New("cassette: unsafe method refused against a non-loopback host (allow writes explicitly to record it)")

// ServerRole says which base URL a request path belongs to (ServerAuth,
// ServerAPI, ServerImg or ServerOther).
func ServerRole(path string) string {
	switch {
	case strings.EqualFold(path, "/OAuth/Token"), strings.EqualFold(path, "/Discovery"):
		return ServerAuth
	case strings.HasPrefix(path, "/api/"):
		return ServerAPI
	case strings.Contains(path, "/Images/Get/"):
		return ServerImg
	default:
		return ServerOther
	}
}

// IsLoopback reports whether host (with or without a port) is localhost or a
// loopback IP address.
func IsLoopback(host string) bool {
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func isSafeMethod(m string) bool {
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	return false
}

// Recorder is an http.RoundTripper that forwards requests to another
// RoundTripper and keeps every exchange in memory, unredacted, until
// Cassette redacts it. It never writes anything itself.
type Recorder struct {
	next        http.RoundTripper
	allowWrites bool
	namer       func(method, path string) string

	mu  sync.Mutex
	raw []RawInteraction
}

// RecorderOption configures a Recorder.
type RecorderOption func(*Recorder) error

// WithAllowWrites lets POST, PUT, PATCH and DELETE through to non-loopback
// hosts. Off by default: recording against a real account must be a
// deliberate choice.
func WithAllowWrites(allow bool) RecorderOption {
	return func(r *Recorder) error { r.allowWrites = allow; return nil }
}

// WithOperationNamer sets the function that names the spec operation of a
// request (method, escaped path); its result is stored as OperationID.
func WithOperationNamer(f func(method, path string) string) RecorderOption {
	return func(r *Recorder) error {
		if f == nil {
			return errors.New("cassette: WithOperationNamer: nil function")
		}
		r.namer = f
		return nil
	}
}

// NewRecorder returns a Recorder in front of next (http.DefaultTransport if
// nil).
func NewRecorder(next http.RoundTripper, opts ...RecorderOption) (*Recorder, error) {
	if next == nil {
		next = http.DefaultTransport
	}
	r := &Recorder{next: next}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("cassette: nil RecorderOption")
		}
		if err := o(r); err != nil {
			return nil, err
		}
	}
	return r, nil
}

// RoundTrip implements http.RoundTripper.
func (r *Recorder) RoundTrip(req *http.Request) (*http.Response, error) {
	path := req.URL.EscapedPath()
	if !isSafeMethod(req.Method) && !r.allowWrites && !IsLoopback(req.URL.Host) &&
		!(req.Method == http.MethodPost && strings.EqualFold(path, "/OAuth/Token")) {
		if req.Body != nil {
			_ = req.Body.Close()
		}
		return nil, fmt.Errorf("%w: %s %s://%s%s", ErrUnsafeMethod, req.Method, req.URL.Scheme, req.URL.Host, path)
	}
	var reqBody []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		reqBody, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, fmt.Errorf("cassette: read request body: %w", err)
		}
		req = req.Clone(req.Context())
		req.Body = io.NopCloser(bytes.NewReader(reqBody))
		req.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(reqBody)), nil }
	}
	resp, err := r.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	respBody, err := io.ReadAll(resp.Body)
	_ = resp.Body.Close()
	if err != nil {
		return nil, fmt.Errorf("cassette: read response body: %w", err)
	}
	resp.Body = io.NopCloser(bytes.NewReader(respBody))

	in := RawInteraction{
		Origin: req.URL.Scheme + "://" + req.URL.Host,
		Request: Request{
			Method:  req.Method,
			Server:  ServerRole(path),
			Path:    path,
			Query:   req.URL.RawQuery,
			Headers: req.Header.Clone(),
			Body:    NewBody(req.Header.Get("Content-Type"), reqBody),
		},
		Response: Response{
			Status:  resp.StatusCode,
			Headers: resp.Header.Clone(),
			Body:    NewBody(resp.Header.Get("Content-Type"), respBody),
		},
	}
	if r.namer != nil {
		in.OperationID = r.namer(req.Method, path)
	}
	r.mu.Lock()
	r.raw = append(r.raw, in)
	r.mu.Unlock()
	return resp, nil
}

// Len returns the number of exchanges recorded so far.
func (r *Recorder) Len() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.raw)
}

// Reset forgets every recorded exchange.
func (r *Recorder) Reset() {
	r.mu.Lock()
	r.raw = nil
	r.mu.Unlock()
}

// Cassette redacts what was recorded so far into a cassette. Save the result
// to write it; the raw traffic stays in memory only.
func (r *Recorder) Cassette(red *Redactor, name, provenance, description string) (*Cassette, error) {
	if red == nil {
		return nil, errors.New("cassette: Recorder.Cassette needs a Redactor")
	}
	r.mu.Lock()
	raw := append([]RawInteraction(nil), r.raw...)
	r.mu.Unlock()
	if len(raw) == 0 {
		return nil, fmt.Errorf("cassette %q: nothing was recorded", name)
	}
	return red.Redact(name, provenance, description, raw)
}
