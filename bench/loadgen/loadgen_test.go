package loadgen

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"
)

func TestRunCountsAndMix(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	var auth []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		seen[r.Method+" "+r.URL.Path]++
		auth = append(auth, r.Header.Get("Authorization"))
		mu.Unlock()
		if r.URL.Path == "/fail" {
			http.Error(w, "no", http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{"Success":true}`))
	}))
	defer srv.Close()

	res, err := Run(context.Background(), Config{
		BaseURL: srv.URL, Token: "tok", Concurrency: 4, Requests: 400,
		Mix: []Request{
			{Name: "a", Method: "GET", Path: "/a", Weight: 3},
			{Name: "fail", Method: "PUT", Path: "/fail", Body: []byte(`{}`), ContentType: "application/json", Weight: 1},
		},
	})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests != 400 || res.Errors != 0 {
		t.Fatalf("result %+v, want 400 requests and no transport errors", res)
	}
	mu.Lock()
	defer mu.Unlock()
	if seen["GET /a"] != 300 || seen["PUT /fail"] != 100 {
		t.Errorf("mix sent %v, want 300 GET /a and 100 PUT /fail", seen)
	}
	if res.Non2xx != 100 || res.FirstError == "" {
		t.Errorf("non-2xx = %d (first error %q), want 100", res.Non2xx, res.FirstError)
	}
	for _, a := range auth {
		if a != "Bearer tok" {
			t.Fatalf("Authorization = %q", a)
		}
	}
	if !(res.P50 <= res.P90 && res.P90 <= res.P99 && res.P99 <= res.Max && res.P50 > 0) {
		t.Errorf("percentiles out of order: %+v", res)
	}
}

func TestRunStopsAtDuration(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {}))
	defer srv.Close()
	res, err := Run(context.Background(), Config{BaseURL: srv.URL, Concurrency: 2, Duration: 200 * time.Millisecond,
		Mix: []Request{{Method: "GET", Path: "/"}}})
	if err != nil {
		t.Fatal(err)
	}
	if res.Requests == 0 || res.Errors != 0 || res.Elapsed <= 0 || res.Elapsed > time.Second {
		t.Errorf("result %+v", res)
	}
}

func TestPercentile(t *testing.T) {
	d := []time.Duration{1, 2, 3, 4, 5, 6, 7, 8, 9, 10}
	if p := percentile(d, 0.5); p != 5 {
		t.Errorf("p50 = %v", p)
	}
	if p := percentile(d, 0.99); p != 10 {
		t.Errorf("p99 = %v", p)
	}
	if p := percentile(nil, 0.5); p != 0 {
		t.Errorf("empty p50 = %v", p)
	}
}

func TestRunRejectsBadConfig(t *testing.T) {
	if _, err := Run(context.Background(), Config{}); err == nil {
		t.Error("empty config accepted")
	}
}
