// Package soak runs many concurrent xink clients against an in-process xinkmock doing mixed
// reads and writes, then checks invariants over HTTP: every created employee is listed
// exactly once, the totals match, no update is lost, nothing panicked or answered 5xx, no
// response broke the spec, and memory and goroutines came back to where they started.
//
// `make soak` runs it under the race detector through the xinksoak command, which writes the
// figures into RELIABILITY.md. A small run is part of `go test`.
package soak

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"net"
	"net/http"
	"net/url"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/xink"
)

// Config sizes a soak run.
type Config struct {
	// Workers is the number of concurrent clients (each its own xink.Client).
	Workers int
	// OpsPerWorker is how many operations each client performs.
	OpsPerWorker int
	// MaxHeapGrowth bounds the live heap after the run against before it (after GC).
	MaxHeapGrowth uint64
	// Seed makes the operation mix repeatable.
	Seed uint64
	// Target is the base URL of a running xinkmock on a loopback host to soak instead of an
	// in-process one (e.g. the binary built with -race). Its data is reset first. The mock's
	// own log (5xx answers, panics) and its process memory are then the caller's to check:
	// ServerChecked is false and the heap bound applies to this process only.
	Target string
}

// DefaultConfig is the `make soak` size: 64 clients, 200 operations each.
func DefaultConfig() Config {
	return Config{Workers: 64, OpsPerWorker: 200, MaxHeapGrowth: 32 << 20, Seed: 1}
}

func (c Config) validate() error {
	switch {
	case c.Workers < 1 || c.Workers > 1024:
		return fmt.Errorf("soak: Workers %d must be between 1 and 1024", c.Workers)
	case c.OpsPerWorker < 10:
		return fmt.Errorf("soak: OpsPerWorker %d must be at least 10", c.OpsPerWorker)
	case c.MaxHeapGrowth == 0:
		return errors.New("soak: MaxHeapGrowth must be positive")
	}
	if c.Target != "" {
		u, err := url.Parse(c.Target)
		if err != nil || u.Scheme != "http" || u.Path != "" && u.Path != "/" {
			return fmt.Errorf("soak: Target %q: want http://127.0.0.1:PORT", c.Target)
		}
		if ip := net.ParseIP(u.Hostname()); ip == nil || !ip.IsLoopback() {
			return fmt.Errorf("soak: Target %q: only a loopback address is soaked", c.Target)
		}
	}
	return nil
}

// Report is what a run did and found. Violations lists every broken invariant; a run passed
// when it is empty and Errors is zero.
type Report struct {
	Workers, OpsPerWorker int
	Ops                   int64            // operations performed by the workers
	OpsByKind             map[string]int64 // per operation
	Errors                int64            // operations that failed (every one is unexpected)
	FirstErrors           []string         // the first few failures
	Requests              int64            // requests the mock answered (workers and checks)
	Status5xx             int64            // of those, answered 5xx or dropped
	ErrorLogLines         int64            // error-level lines the mock logged (panics, strict violations)
	StrictViolations      int
	Created, Deleted      int
	Listed, Total         int
	FieldsChecked         int
	HeapBefore, HeapAfter uint64
	GoroutinesBefore      int
	GoroutinesAfter       int
	Duration              time.Duration
	Violations            []string
	// ServerChecked says whether the mock's log and heap were checked here (in-process mock).
	ServerChecked bool
	// Live maps each employee the workers created and did not delete to its last written value.
	Live map[string]string
}

// Passed reports whether the run had no failed operation and broke no invariant.
func (r *Report) Passed() bool { return r.Errors == 0 && len(r.Violations) == 0 }

// counter is a slog.Handler that counts what the mock logs: requests by status, error lines.
type counter struct {
	requests, status5xx, errors atomic.Int64
}

func (c *counter) Enabled(context.Context, slog.Level) bool { return true }
func (c *counter) WithAttrs([]slog.Attr) slog.Handler       { return c }
func (c *counter) WithGroup(string) slog.Handler            { return c }
func (c *counter) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelError {
		c.errors.Add(1)
	}
	if r.Message == "request" {
		c.requests.Add(1)
		r.Attrs(func(a slog.Attr) bool {
			if a.Key == "status" {
				if s := a.Value.Int64(); s >= 500 || s == 0 {
					c.status5xx.Add(1)
				}
				return false
			}
			return true
		})
	}
	return nil
}

// worker state: the employees it owns and the last value it wrote to each.
type worker struct {
	id      int
	c       *xink.Client
	rng     *rand.Rand
	live    []string          // created, not deleted
	last    map[string]string // email -> last SoakSeq written
	deleted []string
	created int
	ops     map[string]int64
	errs    []string
}

const seqField = "SoakSeq"

func email(w, i int) string { return fmt.Sprintf("soak-%02d-%04d@example.com", w, i) }

func (w *worker) fail(op string, err error) {
	w.errs = append(w.errs, fmt.Sprintf("worker %d: %s: %v", w.id, op, err))
}

// step performs operation i of the worker's mix.
func (w *worker) step(ctx context.Context, i int) {
	pick := func() string { return w.live[w.rng.IntN(len(w.live))] }
	kind := i % 10
	if len(w.live) == 0 {
		kind = 0
	}
	switch kind {
	case 0, 1, 2: // create
		e := email(w.id, w.created)
		w.ops["createEmployee"]++
		if _, err := w.c.CreateEmployee(ctx, xink.CreateEmployeeRequest{Email: e, FirstName: xink.Value("Soak"), LastName: xink.Value(strconv.Itoa(w.id))}); err != nil {
			w.fail("createEmployee "+e, err)
			return
		}
		w.created++
		w.live = append(w.live, e)
	case 3, 4: // write two fields the worker owns (a custom one and the core JobTitle)
		e := pick()
		v := fmt.Sprintf("%d-%d", w.id, i)
		w.ops["setEmployeeFields"]++
		if _, err := w.c.SetEmployeeFields(ctx, e, xink.FieldValue{Name: seqField, Value: xink.Value(v)}, xink.FieldValue{Name: "JobTitle", Value: xink.Value(v)}); err != nil {
			w.fail("setEmployeeFields "+e, err)
			return
		}
		w.last[e] = v
	case 5: // read it back: nobody else writes this employee
		e := pick()
		w.ops["getEmployeeFields"]++
		fields, err := w.c.GetEmployeeFields(ctx, e)
		if err != nil {
			w.fail("getEmployeeFields "+e, err)
			return
		}
		if got, want := fieldValue(fields, seqField), w.last[e]; got != want {
			w.fail("getEmployeeFields "+e, fmt.Errorf("read %s=%q right after writing %q", seqField, got, want))
		}
	case 6:
		w.ops["listEmployeesPage"]++
		if _, err := w.c.ListEmployeesPage(ctx, w.rng.IntN(200), 50); err != nil {
			w.fail("listEmployeesPage", err)
		}
	case 7:
		e := pick()
		w.ops["getEmployee"]++
		got, err := w.c.GetEmployee(ctx, e)
		if err != nil {
			w.fail("getEmployee "+e, err)
		} else if got.Email != e {
			w.fail("getEmployee "+e, fmt.Errorf("returned %q", got.Email))
		} else if jt, _ := got.JobTitle.Get(); jt != w.last[e] {
			w.fail("getEmployee "+e, fmt.Errorf("JobTitle %q right after writing %q", jt, w.last[e]))
		}
	case 8:
		w.ops["getEmployeeSignatures"]++
		if _, err := w.c.GetEmployeeSignatures(ctx, "zoe.ostergaard@example.com"); err != nil {
			w.fail("getEmployeeSignatures", err)
		}
	case 9: // delete one of its own, keeping at least one
		if len(w.live) < 2 {
			w.ops["listSignatures"]++
			if _, err := w.c.ListSignatures(ctx); err != nil {
				w.fail("listSignatures", err)
			}
			return
		}
		j := w.rng.IntN(len(w.live))
		e := w.live[j]
		w.ops["deleteEmployee"]++
		if err := w.c.DeleteEmployee(ctx, e); err != nil {
			w.fail("deleteEmployee "+e, err)
			return
		}
		w.live = append(w.live[:j], w.live[j+1:]...)
		delete(w.last, e)
		w.deleted = append(w.deleted, e)
	}
}

func fieldValue(fields []xink.FieldValue, name string) string {
	for _, f := range fields {
		if f.Name == name {
			v, _ := f.Value.Get()
			return v
		}
	}
	return ""
}

func heapNow() uint64 {
	var ms runtime.MemStats
	runtime.GC()
	runtime.GC()
	runtime.ReadMemStats(&ms)
	return ms.HeapAlloc
}

// Run starts an in-process mock on 127.0.0.1 (strict responses on), runs the workers, checks
// the invariants and returns the report. The error is for a run that could not be set up;
// failed operations and broken invariants are in the report.
func Run(ctx context.Context, cfg Config) (*Report, error) {
	if err := cfg.validate(); err != nil {
		return nil, err
	}
	var (
		base string
		logs = &counter{}
		srv  *mockserver.Server
	)
	if cfg.Target == "" {
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			return nil, fmt.Errorf("soak: listen: %w", err)
		}
		base = "http://" + ln.Addr().String()
		srv, err = mockserver.New(mockserver.WithStrictResponses(true), mockserver.WithBaseURL(base), mockserver.WithLogger(slog.New(logs)))
		if err != nil {
			_ = ln.Close()
			return nil, err
		}
		hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second, ReadTimeout: time.Minute, WriteTimeout: time.Minute, IdleTimeout: 2 * time.Minute}
		go func() { _ = hs.Serve(ln) }()
		defer func() { _ = hs.Close() }()
	} else {
		base = strings.TrimRight(cfg.Target, "/")
		if err := control(ctx, "POST", base+"/_mock/reset", nil); err != nil {
			return nil, fmt.Errorf("soak: resetting the target: %w", err)
		}
	}

	tr := &http.Transport{MaxIdleConns: 2 * cfg.Workers, MaxIdleConnsPerHost: 2 * cfg.Workers, IdleConnTimeout: 30 * time.Second}
	newClient := func() (*xink.Client, error) {
		return xink.NewClient(ctx, xink.WithCredentials(mockserver.DemoClientID, mockserver.DemoClientSecret), xink.WithAuthURL(base),
			xink.WithHTTPClient(&http.Client{Transport: tr, Timeout: time.Minute}))
	}
	// Warm up (first token, discovery, lazy initialisation) before the baseline.
	checker, err := newClient()
	if err != nil {
		return nil, err
	}
	if _, err := checker.GetAccountInfo(ctx); err != nil {
		return nil, fmt.Errorf("soak: warm-up: %w", err)
	}
	first, err := checker.ListEmployeesPage(ctx, 0, 1)
	if err != nil || first.Total == nil {
		return nil, fmt.Errorf("soak: reading the starting Total: %v", err)
	}
	seedTotal := int(*first.Total)
	rep := &Report{Workers: cfg.Workers, OpsPerWorker: cfg.OpsPerWorker, OpsByKind: map[string]int64{}}
	rep.GoroutinesBefore = runtime.NumGoroutine()
	rep.HeapBefore = heapNow()

	workers := make([]*worker, cfg.Workers)
	for i := range workers {
		c, err := newClient()
		if err != nil {
			return nil, err
		}
		workers[i] = &worker{id: i, c: c, rng: rand.New(rand.NewPCG(cfg.Seed, uint64(i))), last: map[string]string{}, ops: map[string]int64{}}
	}
	start := time.Now()
	var wg sync.WaitGroup
	for _, w := range workers {
		wg.Go(func() {
			for i := range cfg.OpsPerWorker {
				if ctx.Err() != nil {
					w.fail("run", ctx.Err())
					return
				}
				w.step(ctx, i)
			}
		})
	}
	wg.Wait()
	rep.Duration = time.Since(start)

	live := map[string]string{} // email -> last value
	gone := map[string]bool{}
	for _, w := range workers {
		for k, v := range w.ops {
			rep.OpsByKind[k] += v
			rep.Ops += v
		}
		rep.Errors += int64(len(w.errs))
		for _, e := range w.errs {
			if len(rep.FirstErrors) < 10 {
				rep.FirstErrors = append(rep.FirstErrors, e)
			}
		}
		rep.Created += w.created
		rep.Deleted += len(w.deleted)
		for _, e := range w.live {
			live[e] = w.last[e]
		}
		for _, e := range w.deleted {
			gone[e] = true
		}
	}
	violate := func(format string, args ...any) {
		rep.Violations = append(rep.Violations, fmt.Sprintf(format, args...))
	}

	// Invariants, over HTTP with a separate client.
	seen := map[string]int{}
	for e, err := range checker.Employees(ctx) {
		if err != nil {
			violate("listing every employee: %v", err)
			break
		}
		seen[strings.ToLower(e.Email)]++
		rep.Listed++
		if want, ok := live[e.Email]; ok {
			if jt, _ := e.JobTitle.Get(); jt != want {
				violate("the list shows %s with JobTitle %q, its last write was %q", e.Email, jt, want)
			}
		}
	}
	for e, n := range seen {
		if n != 1 {
			violate("employee %s is listed %d times", e, n)
		}
	}
	for e := range live {
		if seen[e] != 1 {
			violate("created employee %s is listed %d times, want once", e, seen[e])
		}
	}
	for e := range gone {
		if seen[e] != 0 {
			violate("deleted employee %s is still listed", e)
		}
	}
	if page, err := checker.ListEmployeesPage(ctx, 0, 1); err != nil {
		violate("reading Total: %v", err)
	} else if page.Total != nil {
		rep.Total = int(*page.Total)
	}
	if want := seedTotal + rep.Created - rep.Deleted; rep.Total != want || rep.Listed != want {
		violate("Total %d and %d listed, want %d (seed %d + created %d - deleted %d)", rep.Total, rep.Listed, want, seedTotal, rep.Created, rep.Deleted)
	}
	for e, want := range live { // no lost update: each employee holds its owner's last write
		fields, err := checker.GetEmployeeFields(ctx, e)
		if err != nil {
			violate("fields of %s: %v", e, err)
			continue
		}
		rep.FieldsChecked++
		if got := fieldValue(fields, seqField); got != want {
			violate("lost update: %s has %s=%q, its last write was %q", e, seqField, got, want)
		}
		if got := fieldValue(fields, "JobTitle"); got != want {
			violate("lost update: %s has JobTitle=%q, its last write was %q", e, got, want)
		}
	}
	if srv != nil {
		rep.StrictViolations = len(srv.StrictViolations())
		if rep.StrictViolations > 0 {
			violate("%d responses did not match the spec, e.g. %s", rep.StrictViolations, srv.StrictViolations()[0])
		}
	} else {
		var h struct{ StrictViolations int }
		if err := control(ctx, "GET", base+"/_mock/health", &h); err != nil {
			violate("reading the target's health: %v", err)
		}
		rep.StrictViolations = h.StrictViolations
		if h.StrictViolations > 0 {
			violate("%d responses did not match the spec (see the mock's log)", h.StrictViolations)
		}
	}
	rep.Live = live

	// Memory and goroutines: the clients are dropped and idle connections closed first.
	workers, checker = nil, nil
	tr.CloseIdleConnections()
	deadline := time.Now().Add(5 * time.Second)
	for runtime.NumGoroutine() > rep.GoroutinesBefore && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	rep.GoroutinesAfter = runtime.NumGoroutine()
	rep.HeapAfter = heapNow()
	rep.ServerChecked = srv != nil
	if !rep.ServerChecked {
		return rep, nil // the mock's log and memory live in another process
	}
	if rep.HeapAfter > rep.HeapBefore+cfg.MaxHeapGrowth {
		violate("the heap grew from %d to %d bytes (bound: +%d)", rep.HeapBefore, rep.HeapAfter, cfg.MaxHeapGrowth)
	}
	if rep.GoroutinesAfter > rep.GoroutinesBefore+4 {
		violate("%d goroutines after the run, %d before: a leak", rep.GoroutinesAfter, rep.GoroutinesBefore)
	}
	rep.Requests, rep.Status5xx, rep.ErrorLogLines = logs.requests.Load(), logs.status5xx.Load(), logs.errors.Load()
	if rep.Status5xx > 0 {
		violate("%d requests were answered 5xx or dropped", rep.Status5xx)
	}
	if rep.ErrorLogLines > 0 {
		violate("the mock logged %d error lines (a panic or a strict violation)", rep.ErrorLogLines)
	}
	return rep, nil
}

// control calls the target's /_mock/ API and decodes the JSON answer into out (if not nil).
func control(ctx context.Context, method, u string, out any) error {
	req, err := http.NewRequestWithContext(ctx, method, u, nil)
	if err != nil {
		return err
	}
	resp, err := (&http.Client{Timeout: 30 * time.Second}).Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("%s %s: status %d", method, u, resp.StatusCode)
	}
	if out == nil {
		return nil
	}
	return json.NewDecoder(resp.Body).Decode(out)
}
