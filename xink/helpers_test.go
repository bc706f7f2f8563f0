package xink

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// withSleep replaces the retry sleeper (tests record the waits instead of waiting).
func withSleep(f func(context.Context, time.Duration) error) Option {
	return func(c *config) error { c.sleep = f; return nil }
}

// withClock replaces the client's clock.
func withClock(now func() time.Time) Option {
	return func(c *config) error { c.now = now; return nil }
}

// sleepRecorder records every wait and returns at once (unless the context has ended).
type sleepRecorder struct {
	mu    sync.Mutex
	waits []time.Duration
}

func (s *sleepRecorder) sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.waits = append(s.waits, d)
	s.mu.Unlock()
	return ctx.Err()
}

func (s *sleepRecorder) got() []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]time.Duration(nil), s.waits...)
}

// fakeClock is a settable clock.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func newFakeClock() *fakeClock { return &fakeClock{t: time.Date(2026, 12, 3, 12, 0, 0, 0, time.UTC)} }

func (f *fakeClock) now() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.t }

func (f *fakeClock) advance(d time.Duration) { f.mu.Lock(); f.t = f.t.Add(d); f.mu.Unlock() }

// fakeXink is a small hand-written stand-in for Xink, for the cases the mock cannot play
// (foreign hosts, odd token responses, exact wire checks). Its API root has a path prefix, so
// a client that drops the base path fails.
type fakeXink struct {
	t          *testing.T
	srv        *httptest.Server
	mux        *http.ServeMux
	tokenHits  atomic.Int32
	discHits   atomic.Int32
	apiHits    atomic.Int32
	tokenBody  atomic.Value // string: the token response JSON
	lastToken  atomic.Value // *http.Request clone (form parsed)
	apiRootURL string
}

const fakePrefix = "/tenant-x"

func newFakeXink(t *testing.T) *fakeXink {
	t.Helper()
	f := &fakeXink{t: t, mux: http.NewServeMux()}
	f.tokenBody.Store(`{"access_token":"tok-1","token_type":"bearer","expires_in":7200}`)
	f.mux.HandleFunc("POST /OAuth/Token", func(w http.ResponseWriter, r *http.Request) {
		n := f.tokenHits.Add(1)
		if err := r.ParseForm(); err != nil {
			http.Error(w, err.Error(), 400)
			return
		}
		f.lastToken.Store(r)
		body := f.tokenBody.Load().(string)
		body = strings.ReplaceAll(body, "tok-1", "tok-"+itoa(int(n)))
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(body))
	})
	f.mux.HandleFunc("GET /Discovery", func(w http.ResponseWriter, r *http.Request) {
		f.discHits.Add(1)
		if !strings.HasPrefix(r.Header.Get("Authorization"), "Bearer tok-") {
			w.Header().Set("WWW-Authenticate", `Bearer error="invalid_token"`)
			writeJSON(w, 401, map[string]any{"Success": false, "Error": "no token"})
			return
		}
		writeJSON(w, 200, map[string]any{"Success": true, "DataCenterID": "EU", "APIRoot": f.apiRootURL,
			"ImgRoot": f.srv.URL + "/img", "SyncRoot": f.srv.URL, "TrackingRoot": f.srv.URL})
	})
	f.srv = httptest.NewServer(f.mux)
	t.Cleanup(f.srv.Close)
	f.apiRootURL = f.srv.URL + fakePrefix
	return f
}

// handleAPI registers an API handler under the prefix, counting hits.
func (f *fakeXink) handleAPI(pattern string, h http.HandlerFunc) {
	method, path, _ := strings.Cut(pattern, " ")
	f.mux.HandleFunc(method+" "+fakePrefix+path, func(w http.ResponseWriter, r *http.Request) {
		f.apiHits.Add(1)
		h(w, r)
	})
}

func (f *fakeXink) client(t *testing.T, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithCredentials("abc@SRV", "s3cret"), WithAuthURL(f.srv.URL), withSleep((&sleepRecorder{}).sleep)}
	c, err := NewClient(context.Background(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
