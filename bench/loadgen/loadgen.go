// Package loadgen is the small closed-loop HTTP load generator behind
// `make bench`: a fixed number of workers, each with keep-alive connections,
// send requests from a mix for a fixed duration (or count) and record every
// latency. It reports requests/s and latency percentiles.
//
// It sends traffic only to the URL it is given; the bench harness only ever
// gives it servers it started on 127.0.0.1.
package loadgen

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"sync"
	"sync/atomic"
	"time"
)

// Request is one request of a mix. Body may be nil.
type Request struct {
	Name        string // label in reports, e.g. "listEmployeesPage"
	Method      string
	Path        string // path and query, appended to the target URL
	ContentType string
	Body        []byte
	Weight      int // relative frequency in the mix; 0 counts as 1
}

// Config describes one load run.
type Config struct {
	BaseURL     string        // e.g. http://127.0.0.1:8080
	Token       string        // bearer token sent with every request ("" = none)
	Mix         []Request     // the requests, picked round-robin by weight
	Concurrency int           // workers (default 32)
	Duration    time.Duration // how long to run (default 5s); ignored when Requests > 0
	Requests    int           // total requests (0 = run for Duration)
	Warmup      time.Duration // requests in this first span are not measured
}

// Result summarises a run.
type Result struct {
	Requests   int           `json:"requests"`
	Errors     int           `json:"errors"`      // transport errors
	Non2xx     int           `json:"non_2xx"`     // answers with a status outside 200-299
	Elapsed    time.Duration `json:"elapsed_ns"`  // measured span (after warm-up)
	RPS        float64       `json:"rps"`         // measured requests per second
	P50        time.Duration `json:"p50_ns"`      // median latency
	P90        time.Duration `json:"p90_ns"`      // 90th percentile
	P99        time.Duration `json:"p99_ns"`      // 99th percentile
	Max        time.Duration `json:"max_ns"`      // slowest request
	FirstError string        `json:"first_error"` // the first transport error or non-2xx answer, for the report
}

func (r Result) String() string {
	return fmt.Sprintf("%d req in %v: %.0f req/s, p50 %v, p90 %v, p99 %v, max %v, %d errors, %d non-2xx",
		r.Requests, r.Elapsed.Round(time.Millisecond), r.RPS, r.P50, r.P90, r.P99, r.Max, r.Errors, r.Non2xx)
}

// Run sends the mix to cfg.BaseURL and measures it. It stops at the end of
// the duration, after cfg.Requests requests, or when ctx is done.
func Run(ctx context.Context, cfg Config) (Result, error) {
	if cfg.BaseURL == "" || len(cfg.Mix) == 0 {
		return Result{}, errors.New("loadgen: BaseURL and Mix are required")
	}
	if _, err := url.Parse(cfg.BaseURL); err != nil {
		return Result{}, fmt.Errorf("loadgen: BaseURL: %w", err)
	}
	if cfg.Concurrency <= 0 {
		cfg.Concurrency = 32
	}
	if cfg.Duration <= 0 {
		cfg.Duration = 5 * time.Second
	}
	schedule := expand(cfg.Mix)

	transport := &http.Transport{
		MaxIdleConns:        cfg.Concurrency * 2,
		MaxIdleConnsPerHost: cfg.Concurrency * 2,
		IdleConnTimeout:     30 * time.Second,
		DisableCompression:  true,
	}
	defer transport.CloseIdleConnections()
	client := &http.Client{Transport: transport, Timeout: 30 * time.Second}

	start := time.Now()
	measureFrom := start.Add(cfg.Warmup)
	deadline := measureFrom.Add(cfg.Duration)
	runCtx, cancel := context.WithDeadline(ctx, deadline)
	defer cancel()
	if cfg.Requests > 0 {
		runCtx, cancel = context.WithCancel(ctx)
		defer cancel()
	}

	var issued atomic.Int64
	var mu sync.Mutex
	var all []time.Duration
	var res Result
	var wg sync.WaitGroup
	for w := 0; w < cfg.Concurrency; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			lat := make([]time.Duration, 0, 4096)
			var errs, non2xx int
			var firstErr string
			for {
				// One shared sequence number keeps the mix exact across workers.
				n := issued.Add(1) - 1
				if cfg.Requests > 0 && n >= int64(cfg.Requests) {
					break
				}
				if runCtx.Err() != nil {
					break
				}
				rq := schedule[n%int64(len(schedule))]
				t0 := time.Now()
				status, err := do(runCtx, client, cfg, rq)
				d := time.Since(t0)
				if runCtx.Err() != nil && err != nil {
					break // cut off by the deadline: not a server error
				}
				if t0.Before(measureFrom) && cfg.Requests == 0 {
					continue
				}
				lat = append(lat, d)
				switch {
				case err != nil:
					errs++
					if firstErr == "" {
						firstErr = rq.Name + ": " + err.Error()
					}
				case status < 200 || status > 299:
					non2xx++
					if firstErr == "" {
						firstErr = fmt.Sprintf("%s: status %d", rq.Name, status)
					}
				}
			}
			mu.Lock()
			all = append(all, lat...)
			res.Errors += errs
			res.Non2xx += non2xx
			if res.FirstError == "" {
				res.FirstError = firstErr
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	end := time.Now()

	res.Requests = len(all)
	if cfg.Requests > 0 {
		res.Elapsed = end.Sub(start)
	} else {
		if end.After(deadline) {
			end = deadline
		}
		res.Elapsed = end.Sub(measureFrom)
	}
	if res.Elapsed > 0 {
		res.RPS = float64(res.Requests) / res.Elapsed.Seconds()
	}
	slices.Sort(all)
	res.P50, res.P90, res.P99 = percentile(all, 0.50), percentile(all, 0.90), percentile(all, 0.99)
	if len(all) > 0 {
		res.Max = all[len(all)-1]
	}
	return res, nil
}

func do(ctx context.Context, client *http.Client, cfg Config, rq Request) (int, error) {
	var body io.Reader
	if rq.Body != nil {
		body = bytes.NewReader(rq.Body)
	}
	req, err := http.NewRequestWithContext(ctx, rq.Method, cfg.BaseURL+rq.Path, body)
	if err != nil {
		return 0, err
	}
	if rq.ContentType != "" {
		req.Header.Set("Content-Type", rq.ContentType)
	}
	if cfg.Token != "" {
		req.Header.Set("Authorization", "Bearer "+cfg.Token)
	}
	resp, err := client.Do(req)
	if err != nil {
		return 0, err
	}
	_, err = io.Copy(io.Discard, resp.Body)
	resp.Body.Close()
	return resp.StatusCode, err
}

// expand turns weights into a round-robin schedule, interleaved so that a
// worker does not send the same request many times in a row.
func expand(mix []Request) []Request {
	var out []Request
	left := make([]int, len(mix))
	total := 0
	for i, r := range mix {
		left[i] = max(r.Weight, 1)
		total += left[i]
	}
	for len(out) < total {
		for i := range mix {
			if left[i] > 0 {
				out = append(out, mix[i])
				left[i]--
			}
		}
	}
	return out
}

// percentile returns the p-quantile of sorted durations (nearest rank).
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	i := int(float64(len(sorted))*p+0.5) - 1
	return sorted[min(max(i, 0), len(sorted)-1)]
}
