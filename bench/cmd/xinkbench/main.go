// Command xinkbench is the load half of `make bench`. It builds and starts,
// one after the other and each on 127.0.0.1, the xinkmock binary, Prism
// (pinned in package.json, serving the same spec) and a bare net/http
// hello-world server (the ceiling); measures each one's start-up time to the
// first 200, throughput and latency under the same request mix and
// concurrency, and peak RSS; repeats the mock's list page with 100 and with
// 100,000 seeded employees; and writes the figures with a description of the
// machine to a results file.
//
// Usage (from the repository root):
//
//	go run ./bench/cmd/xinkbench [-duration 10s] [-concurrency 32] [-out bench/RESULTS.md] [-prism=false]
package main

import (
	"bufio"
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/xink-go/xink-go/bench/loadgen"
	"github.com/xink-go/xink-go/mockserver"
)

type options struct {
	duration    time.Duration
	warmup      time.Duration
	concurrency int
	out         string
	jsonOut     string
	prism       bool
	prismBin    string
	spec        string
	startRuns   int
	note        string
	section     string
	goBench     string
	mockBin     string
	skipScale   bool
}

func main() {
	var o options
	flag.DurationVar(&o.duration, "duration", 10*time.Second, "measured duration of each load run")
	flag.DurationVar(&o.warmup, "warmup", 2*time.Second, "unmeasured warm-up before each load run")
	flag.IntVar(&o.concurrency, "concurrency", 32, "concurrent clients")
	flag.StringVar(&o.out, "out", "bench/RESULTS.md", "results file (Markdown)")
	flag.StringVar(&o.jsonOut, "json", "bench/results.json", "results file (JSON)")
	flag.BoolVar(&o.prism, "prism", true, "also measure Prism (needs node_modules/.bin/prism: npm ci)")
	flag.StringVar(&o.prismBin, "prism-bin", "node_modules/.bin/prism", "Prism executable")
	flag.StringVar(&o.spec, "spec", "openapi/xink.yaml", "spec Prism serves")
	flag.IntVar(&o.startRuns, "start-runs", 5, "start-up measurements per Go server (median reported)")
	flag.StringVar(&o.note, "note", "", "a note written with the results (e.g. what changed)")
	flag.StringVar(&o.section, "section", "LOAD", "name of the results-file section to (re)write, e.g. LOAD-BEFORE to keep a before/after pair")
	flag.StringVar(&o.mockBin, "mock-bin", "", "a prebuilt xinkmock binary to measure (e.g. an older commit's, for a before/after pair); default: build ./mockserver/cmd/xinkmock")
	flag.BoolVar(&o.skipScale, "skip-scale", false, "skip the 100 vs 100,000 employees runs")
	flag.StringVar(&o.goBench, "gobench", "", "output of `go test -bench` to copy into the results file's GOBENCH section")
	flag.Parse()
	if err := run(o); err != nil {
		fmt.Fprintln(os.Stderr, "xinkbench:", err)
		os.Exit(1)
	}
}

// target is a server under test, started as its own process.
type target struct {
	Name      string
	Cmd       []string
	Probe     func(base string) (*http.Request, error) // the request whose first 200 ends start-up
	Startup   time.Duration                            // median time to the first 200
	Load      loadgen.Result
	PeakRSSKB int64
	Note      string
}

type results struct {
	When        time.Time          `json:"when"`
	Machine     map[string]string  `json:"machine"`
	Concurrency int                `json:"concurrency"`
	Duration    string             `json:"duration"`
	Targets     []targetResult     `json:"targets"`
	Scale       []scaleResult      `json:"scale"`
	Ratios      map[string]float64 `json:"ratios"`
	Note        string             `json:"note,omitempty"`
}

type targetResult struct {
	Name      string         `json:"name"`
	StartupMS float64        `json:"startup_ms"`
	PeakRSSMB float64        `json:"peak_rss_mb"`
	Load      loadgen.Result `json:"load"`
	Note      string         `json:"note,omitempty"`
}

type scaleResult struct {
	Employees int            `json:"employees"`
	Page      string         `json:"page"`
	Load      loadgen.Result `json:"load"`
	PeakRSSMB float64        `json:"peak_rss_mb"`
}

func run(o options) error {
	ctx := context.Background()
	tmp, err := os.MkdirTemp("", "xinkbench-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)

	fmt.Println("== building xinkmock and hello")
	mockBin, helloBin := filepath.Join(tmp, "xinkmock"), filepath.Join(tmp, "hello")
	builds := map[string]string{mockBin: "./mockserver/cmd/xinkmock", helloBin: "./bench/cmd/hello"}
	if o.mockBin != "" {
		mockBin = o.mockBin
		builds = map[string]string{helloBin: "./bench/cmd/hello"}
	}
	for bin, pkg := range builds {
		if out, err := exec.Command("go", "build", "-o", bin, pkg).CombinedOutput(); err != nil {
			return fmt.Errorf("go build %s: %v\n%s", pkg, err, out)
		}
	}

	res := results{When: time.Now().UTC(), Machine: machine(o), Concurrency: o.concurrency,
		Duration: o.duration.String(), Ratios: map[string]float64{}, Note: o.note}

	tokenProbe := func(base string) (*http.Request, error) {
		req, err := http.NewRequest("POST", base+"/OAuth/Token", strings.NewReader(tokenForm()))
		if err == nil {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		return req, err
	}
	targets := []*target{
		{Name: "xinkmock", Probe: tokenProbe, Cmd: []string{mockBin, "--log-level", "error"},
			Note: "request validation, auth and scopes on; log level error"},
		{Name: "net/http hello (ceiling)", Probe: func(base string) (*http.Request, error) { return http.NewRequest("GET", base+"/", nil) },
			Cmd: []string{helloBin}, Note: "one static JSON body, no routing, no validation"},
	}
	if o.prism {
		if _, err := os.Stat(o.prismBin); err != nil {
			return fmt.Errorf("Prism not installed at %s (run npm ci, or pass -prism=false): %w", o.prismBin, err)
		}
		targets = append(targets, &target{Name: "Prism " + prismVersion(o.prismBin), Probe: tokenProbe,
			Cmd:  []string{o.prismBin, "mock", "--dynamic", "false", "--errors", "false", "-v", "error", o.spec},
			Note: "static examples, log level error"})
	}

	for _, t := range targets {
		runs := o.startRuns
		if strings.HasPrefix(t.Name, "Prism") {
			runs = 2 // seconds each
		}
		fmt.Printf("== %s: start-up (%d runs)\n", t.Name, runs)
		var starts []time.Duration
		for i := range runs {
			p, d, err := start(ctx, t)
			if err != nil {
				return fmt.Errorf("%s: %w", t.Name, err)
			}
			starts = append(starts, d)
			if i < runs-1 {
				p.stop()
				continue
			}
			fmt.Printf("   start-up %v (median of %v)\n", median(starts), starts)
			t.Startup = median(starts)
			fmt.Printf("== %s: load, %d clients, %v\n", t.Name, o.concurrency, o.duration)
			mix, token, err := mixFor(t, p.base)
			if err != nil {
				p.stop()
				return fmt.Errorf("%s: %w", t.Name, err)
			}
			t.Load, err = loadgen.Run(ctx, loadgen.Config{BaseURL: p.base, Token: token, Mix: mix,
				Concurrency: o.concurrency, Duration: o.duration, Warmup: o.warmup})
			t.PeakRSSKB = peakRSS(p.cmd.Process.Pid)
			p.stop()
			if err != nil {
				return fmt.Errorf("%s: %w", t.Name, err)
			}
			fmt.Printf("   %v; peak RSS %.1f MB\n", t.Load, float64(t.PeakRSSKB)/1024)
		}
		res.Targets = append(res.Targets, targetResult{Name: t.Name, StartupMS: ms(t.Startup),
			PeakRSSMB: float64(t.PeakRSSKB) / 1024, Load: t.Load, Note: t.Note})
	}
	mock, hello := res.Targets[0], res.Targets[1]
	res.Ratios["mock_over_hello"] = mock.Load.RPS / hello.Load.RPS
	if o.prism {
		prism := res.Targets[2]
		res.Ratios["mock_over_prism"] = mock.Load.RPS / prism.Load.RPS
		res.Ratios["prism_startup_over_mock"] = prism.StartupMS / mock.StartupMS
	}

	// Scale: the same list page with 100 and with 100,000 employees.
	scale := []int{100, 100_000}
	if o.skipScale {
		scale = nil
	}
	for _, n := range scale {
		seedPath := filepath.Join(tmp, fmt.Sprintf("seed-%d.json", n))
		if err := writeSeed(seedPath, n); err != nil {
			return err
		}
		for _, page := range []string{"/api/1.0/employee/list/0/50", fmt.Sprintf("/api/1.0/employee/list/%d/50", n-50)} {
			t := &target{Name: fmt.Sprintf("xinkmock %d employees", n), Probe: tokenProbe,
				Cmd: []string{mockBin, "--log-level", "error", "--seed", seedPath}}
			fmt.Printf("== %s: %s\n", t.Name, page)
			p, _, err := start(ctx, t)
			if err != nil {
				return err
			}
			token, err := getToken(p.base)
			if err == nil {
				t.Load, err = loadgen.Run(ctx, loadgen.Config{BaseURL: p.base, Token: token,
					Mix:         []loadgen.Request{{Name: "listEmployeesPage", Method: "GET", Path: page}},
					Concurrency: o.concurrency, Duration: o.duration / 2, Warmup: o.warmup / 2})
			}
			rss := peakRSS(p.cmd.Process.Pid)
			p.stop()
			if err != nil {
				return err
			}
			fmt.Printf("   %v; peak RSS %.1f MB\n", t.Load, float64(rss)/1024)
			res.Scale = append(res.Scale, scaleResult{Employees: n, Page: page, Load: t.Load, PeakRSSMB: float64(rss) / 1024})
		}
	}
	if len(res.Scale) == 4 {
		res.Ratios["page_cost_100k_over_100_first"] = res.Scale[0].Load.RPS / res.Scale[2].Load.RPS
		res.Ratios["page_cost_100k_over_100_last"] = res.Scale[1].Load.RPS / res.Scale[3].Load.RPS
	}

	if err := writeResults(o, res); err != nil {
		return err
	}
	fmt.Printf("== wrote %s and %s\n", o.out, o.jsonOut)
	return nil
}

// proc is a started target.
type proc struct {
	cmd  *exec.Cmd
	base string
}

func (p *proc) stop() {
	if p.cmd.Process == nil {
		return
	}
	// The process group: Prism's launcher may have children.
	_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGTERM)
	done := make(chan struct{})
	go func() { _ = p.cmd.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-done
	}
}

// start launches t on a free loopback port and polls its probe until the
// first 200, returning the time from exec to that answer.
func start(ctx context.Context, t *target) (*proc, time.Duration, error) {
	port, err := freePort()
	if err != nil {
		return nil, 0, err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	args := append([]string{}, t.Cmd[1:]...)
	if strings.HasPrefix(t.Name, "Prism") {
		args = append([]string{args[0], "--host", "127.0.0.1", "--port", strconv.Itoa(port)}, args[1:]...)
	} else {
		args = append(args, "--addr", addr)
	}
	cmd := exec.CommandContext(ctx, t.Cmd[0], args...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var logs strings.Builder
	cmd.Stdout, cmd.Stderr = &logs, &logs
	base := "http://" + addr
	client := &http.Client{Timeout: time.Second}
	t0 := time.Now()
	if err := cmd.Start(); err != nil {
		return nil, 0, err
	}
	p := &proc{cmd: cmd, base: base}
	deadline := t0.Add(30 * time.Second)
	for time.Now().Before(deadline) {
		req, err := t.Probe(base)
		if err != nil {
			p.stop()
			return nil, 0, err
		}
		resp, err := client.Do(req)
		if err == nil {
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return p, time.Since(t0), nil
			}
		}
		time.Sleep(500 * time.Microsecond)
	}
	p.stop()
	return nil, 0, fmt.Errorf("no 200 from %s within 30s; output:\n%s", base, logs.String())
}

func freePort() (int, error) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return 0, err
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port, nil
}

func tokenForm() string {
	return url.Values{"grant_type": {"client_credentials"}, "client_id": {mockserver.DemoClientID},
		"client_secret": {mockserver.DemoClientSecret}}.Encode()
}

func getToken(base string) (string, error) {
	resp, err := http.Post(base+"/OAuth/Token", "application/x-www-form-urlencoded", strings.NewReader(tokenForm()))
	if err != nil {
		return "", err
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		return "", fmt.Errorf("token: status %d, %v", resp.StatusCode, err)
	}
	return tok.AccessToken, nil
}

// mixFor returns the request mix for a target: a token once, then employee
// list pages, fields, signatures, the template list and a write. The hello
// server gets the same number of plain GETs.
func mixFor(t *target, base string) ([]loadgen.Request, string, error) {
	if strings.HasPrefix(t.Name, "net/http") {
		return []loadgen.Request{{Name: "hello", Method: "GET", Path: "/"}}, "", nil
	}
	token, err := getToken(base)
	if err != nil {
		return nil, "", err
	}
	emails := []string{"zoe.ostergaard@example.com"} // Prism answers any email with its example
	if t.Name == "xinkmock" {
		emails, err = someEmails(base, token)
		if err != nil {
			return nil, "", err
		}
	}
	var mix []loadgen.Request
	mix = append(mix, loadgen.Request{Name: "listEmployeesPage", Method: "GET", Path: "/api/1.0/employee/list/0/20", Weight: 3})
	for _, e := range emails {
		p := "/api/1.0/employee/" + url.PathEscape(e)
		mix = append(mix,
			loadgen.Request{Name: "getEmployeeFields", Method: "GET", Path: p + "/fields", Weight: 2},
			loadgen.Request{Name: "getEmployeeSignatures", Method: "GET", Path: p + "/signatures", Weight: 2},
		)
	}
	mix = append(mix,
		loadgen.Request{Name: "listSignatures", Method: "GET", Path: "/api/1.0/signature/list", Weight: 2},
		loadgen.Request{Name: "setRerouting", Method: "PUT", Path: "/api/1.0/rerouting/" + url.PathEscape(emails[0]),
			ContentType: "application/json", Body: []byte(`{"Enabled":true}`), Weight: 1},
	)
	return mix, token, nil
}

func someEmails(base, token string) ([]string, error) {
	req, _ := http.NewRequest("GET", base+"/api/1.0/employee/list/0/5", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var page struct {
		Employees []struct{ Email string }
	}
	if err := json.NewDecoder(resp.Body).Decode(&page); err != nil || len(page.Employees) == 0 {
		return nil, fmt.Errorf("employee list: status %d, %v", resp.StatusCode, err)
	}
	var out []string
	for _, e := range page.Employees {
		out = append(out, e.Email)
	}
	return out, nil
}

// writeSeed writes the default seed with its first account grown to n employees.
func writeSeed(path string, n int) error {
	seed := mockserver.DefaultSeed()
	acct := &seed.Accounts[0]
	if extra := n - len(acct.Employees); extra > 0 {
		acct.Employees = append(acct.Employees, mockserver.GenerateEmployees(extra)...)
	} else {
		acct.Employees = acct.Employees[:n]
	}
	data, err := json.Marshal(seed)
	if err != nil {
		return err
	}
	return os.WriteFile(path, data, 0o600)
}

// peakRSS is the process's high-water resident set (VmHWM), in KiB.
func peakRSS(pid int) int64 {
	f, err := os.Open(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:"); ok {
			return parseKB(rest)
		}
	}
	return 0
}

func prismVersion(bin string) string {
	out, err := exec.Command(bin, "--version").Output()
	if err != nil {
		return "(version unknown)"
	}
	return strings.TrimSpace(string(out))
}

func machine(o options) map[string]string {
	m := map[string]string{
		"go":     runtime.Version(),
		"os":     runtime.GOOS + "/" + runtime.GOARCH,
		"cpus":   strconv.Itoa(runtime.NumCPU()),
		"cpu":    cpuModel(),
		"memory": memTotal(),
	}
	if out, err := exec.Command("node", "--version").Output(); err == nil {
		m["node"] = strings.TrimSpace(string(out))
	}
	return m
}

func cpuModel() string {
	data, _ := os.ReadFile("/proc/cpuinfo")
	for line := range strings.SplitSeq(string(data), "\n") {
		if k, v, ok := strings.Cut(line, ":"); ok && strings.TrimSpace(k) == "model name" {
			return strings.TrimSpace(v)
		}
	}
	return "unknown"
}

func memTotal() string {
	data, _ := os.ReadFile("/proc/meminfo")
	for line := range strings.SplitSeq(string(data), "\n") {
		if rest, ok := strings.CutPrefix(line, "MemTotal:"); ok {
			kb := parseKB(rest)
			return fmt.Sprintf("%.1f GiB", float64(kb)/(1<<20))
		}
	}
	return "unknown"
}

func median(d []time.Duration) time.Duration {
	s := slices.Clone(d)
	slices.Sort(s)
	return s[len(s)/2]
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func writeResults(o options, r results) error {
	if o.goBench != "" {
		raw, err := os.ReadFile(o.goBench)
		if err != nil {
			return err
		}
		if rawNs, xinkNs := benchNs(string(raw), "BenchmarkClientOverhead/raw"), benchNs(string(raw), "BenchmarkClientOverhead/xink"); rawNs > 0 && xinkNs > 0 {
			r.Ratios["client_over_raw"] = xinkNs / rawNs
		}
		gb := fmt.Sprintf("## Go benchmarks %s\n\nIn-process (no network): the mock's handler per operation with validation and auth on, and the client's per-call overhead against raw net/http + encoding/json on the same response.\n\n```\n%s```\n",
			r.When.Format("2006-01-02 15:04 UTC"), raw)
		if err := replaceSection(o.out, "GOBENCH", gb); err != nil {
			return err
		}
	}
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(o.jsonOut, append(data, '\n'), 0o644); err != nil {
		return err
	}
	var b strings.Builder
	fmt.Fprintf(&b, "## Load run %s\n\n", r.When.Format("2006-01-02 15:04 UTC"))
	if r.Note != "" {
		fmt.Fprintf(&b, "%s\n\n", r.Note)
	}
	keys := make([]string, 0, len(r.Machine))
	for k := range r.Machine {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	b.WriteString("Machine:")
	for _, k := range keys {
		fmt.Fprintf(&b, " %s %s;", k, r.Machine[k])
	}
	fmt.Fprintf(&b, "\nLoad: %d concurrent keep-alive clients (bench/loadgen, in the harness process), %s measured after warm-up, one server at a time on 127.0.0.1.\n", r.Concurrency, r.Duration)
	b.WriteString("Mix (mock and Prism): a token once, then employee list page 3, fields 2 per email, signatures 2 per email (5 emails on the mock), template list 2, PUT rerouting 1. The ceiling answers GET / only.\n\n")
	b.WriteString("| server | start-up to first 200 | requests/s | p50 | p90 | p99 | errors / non-2xx | peak RSS | notes |\n|---|---|---|---|---|---|---|---|---|\n")
	for _, t := range r.Targets {
		fmt.Fprintf(&b, "| %s | %.1f ms | %.0f | %v | %v | %v | %d / %d | %.1f MB | %s |\n", t.Name, t.StartupMS, t.Load.RPS,
			round(t.Load.P50), round(t.Load.P90), round(t.Load.P99), t.Load.Errors, t.Load.Non2xx, t.PeakRSSMB, t.Note)
	}
	b.WriteString("\n| employees | page | requests/s | p50 | p99 | peak RSS |\n|---|---|---|---|---|---|\n")
	for _, s := range r.Scale {
		fmt.Fprintf(&b, "| %d | `%s` | %.0f | %v | %v | %.1f MB |\n", s.Employees, s.Page, s.Load.RPS, round(s.Load.P50), round(s.Load.P99), s.PeakRSSMB)
	}
	rk := make([]string, 0, len(r.Ratios))
	for k := range r.Ratios {
		rk = append(rk, k)
	}
	slices.SortFunc(rk, cmp.Compare)
	b.WriteString("\nRatios:")
	for _, k := range rk {
		fmt.Fprintf(&b, " %s = %.2f;", k, r.Ratios[k])
	}
	b.WriteString("\n")
	writeTargets(&b, r)
	for _, t := range r.Targets {
		if t.Load.FirstError != "" {
			fmt.Fprintf(&b, "\nFirst error seen by %s: %s\n", t.Name, t.Load.FirstError)
		}
	}
	return replaceSection(o.out, o.section, b.String())
}

// replaceSection rewrites the text between <!-- BEGIN name --> and
// <!-- END name --> in path, creating the file or the section if needed, so
// the Go benchmark figures kept in the same file survive.
func replaceSection(path, name, body string) error {
	begin, end := "<!-- BEGIN "+name+" -->", "<!-- END "+name+" -->"
	old, err := os.ReadFile(path)
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		return err
	}
	text := string(old)
	i, j := strings.Index(text, begin), strings.Index(text, end)
	if i < 0 || j < i {
		text = strings.TrimRight(text, "\n") + "\n\n" + begin + "\n" + end + "\n"
		i, j = strings.Index(text, begin), strings.Index(text, end)
	}
	text = text[:i+len(begin)] + "\n" + body + text[j:]
	return os.WriteFile(path, []byte(strings.TrimLeft(text, "\n")), 0o644)
}

func round(d time.Duration) time.Duration {
	switch {
	case d > 10*time.Millisecond:
		return d.Round(time.Millisecond)
	case d > 10*time.Microsecond:
		return d.Round(10 * time.Microsecond)
	}
	return d
}

// benchNs returns the mean ns/op of the benchmark lines whose name starts
// with prefix in `go test -bench` output, or 0 if there are none.
func benchNs(out, prefix string) float64 {
	var sum float64
	n := 0
	for line := range strings.SplitSeq(out, "\n") {
		f := strings.Fields(line)
		if len(f) < 4 || !strings.HasPrefix(f[0], prefix+"-") && f[0] != prefix {
			continue
		}
		for i := 1; i+1 < len(f); i++ {
			if f[i+1] == "ns/op" {
				if v, err := strconv.ParseFloat(f[i], 64); err == nil {
					sum += v
					n++
				}
			}
		}
	}
	if n == 0 {
		return 0
	}
	return sum / float64(n)
}

// writeTargets checks the figures against issue 7's targets.
func writeTargets(b *strings.Builder, r results) {
	if len(r.Targets) < 2 {
		return
	}
	mock := r.Targets[0]
	yes := map[bool]string{true: "yes", false: "**no**"}
	b.WriteString("\n| target | figure | met |\n|---|---|---|\n")
	if v, ok := r.Ratios["mock_over_prism"]; ok {
		fmt.Fprintf(b, "| mock throughput >= 10x Prism's | %.1fx | %s |\n", v, yes[v >= 10])
	}
	v := r.Ratios["mock_over_hello"]
	fmt.Fprintf(b, "| mock throughput >= half the net/http ceiling | %.2f of it | %s |\n", v, yes[v >= 0.5])
	fmt.Fprintf(b, "| p99 < 5 ms at %d clients | %v | %s |\n", r.Concurrency, round(mock.Load.P99), yes[mock.Load.P99 < 5*time.Millisecond])
	fmt.Fprintf(b, "| start-up < 100 ms | %.1f ms | %s |\n", mock.StartupMS, yes[mock.StartupMS < 100])
	if f, ok := r.Ratios["page_cost_100k_over_100_first"]; ok {
		l := r.Ratios["page_cost_100k_over_100_last"]
		fmt.Fprintf(b, "| a page with 100,000 employees within 2x of 100 | %.2fx (first page), %.2fx (last) | %s |\n", f, l, yes[f <= 2 && l <= 2])
		var rss float64
		for _, s := range r.Scale {
			if s.Employees >= 100_000 {
				rss = max(rss, s.PeakRSSMB)
			}
		}
		fmt.Fprintf(b, "| RSS < 300 MB with 100,000 employees | %.0f MB | %s |\n", rss, yes[rss < 300])
	}
	if c, ok := r.Ratios["client_over_raw"]; ok {
		fmt.Fprintf(b, "| client overhead <= 1.5x raw net/http + encoding/json | %.2fx | %s |\n", c, yes[c <= 1.5])
	}
}

// parseKB reads the value of a /proc "Name:   1234 kB" line (the text after the colon).
func parseKB(rest string) int64 {
	kb, _ := strconv.ParseInt(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(rest), "kB")), 10, 64)
	return kb
}
