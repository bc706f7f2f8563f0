// Command xinksoak runs the soak test: concurrent xink clients doing mixed reads and writes
// against an in-process xinkmock on 127.0.0.1, then invariant checks over HTTP (see package
// soak). It prints the figures, writes them into the results file's SOAK section when
// -results is set, and exits 1 if an operation failed or an invariant broke.
//
// With -binary it soaks that xinkmock executable instead, as its own process (`make soak`
// builds it with -race): started on 127.0.0.1:0 with --strict, info logging and a state file
// saved every 50 ms, so saves run beside the load. Afterwards it is stopped with SIGTERM and
// must exit 0; its log must show no 5xx, no error line, no panic and no data race, and the
// state file it saved must hold every employee the clients left, with their last writes.
//
// Usage (what `make soak` runs):
//
//	go run -race ./soak/cmd/xinksoak -workers 64 -ops 200 -results RELIABILITY.md
//	go run -race ./soak/cmd/xinksoak -binary bin/xinkmock-race -section SOAK-BINARY -results RELIABILITY.md
package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"runtime"
	"slices"
	"strings"
	"time"

	"github.com/xink-go/xink-go/soak"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "xinksoak:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, args []string, stdout io.Writer) error {
	def := soak.DefaultConfig()
	fl := flag.NewFlagSet("xinksoak", flag.ContinueOnError)
	workers := fl.Int("workers", def.Workers, "concurrent clients")
	ops := fl.Int("ops", def.OpsPerWorker, "operations per client")
	heapMiB := fl.Uint64("max-heap-growth-mib", def.MaxHeapGrowth>>20, "largest growth of the live heap allowed over the run, MiB")
	results := fl.String("results", "", "markdown `file` whose SOAK section receives the figures (e.g. RELIABILITY.md)")
	timeout := fl.Duration("timeout", 10*time.Minute, "give up after this long")
	binary := fl.String("binary", "", "soak this xinkmock `executable` as its own process instead of an in-process mock")
	name := fl.String("section", "SOAK", "name of the results file's section to write")
	if err := fl.Parse(args); err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()
	cfg := soak.Config{Workers: *workers, OpsPerWorker: *ops, MaxHeapGrowth: *heapMiB << 20, Seed: def.Seed}
	var (
		rep  *soak.Report
		proc *mockProcess
		err  error
	)
	if *binary != "" {
		if proc, err = startMock(ctx, *binary); err != nil {
			return err
		}
		defer proc.kill()
		cfg.Target = proc.base
	}
	rep, err = soak.Run(ctx, cfg)
	if err != nil {
		return err
	}
	if proc != nil {
		proc.finish(rep)
	}
	section := format(rep, *heapMiB, proc)
	fmt.Fprintln(stdout, section)
	if *results != "" {
		if err := writeSection(*results, *name, section); err != nil {
			return err
		}
		fmt.Fprintf(stdout, "figures written to %s\n", *results)
	}
	if !rep.Passed() {
		return fmt.Errorf("the soak failed: %d failed operations, %d broken invariants", rep.Errors, len(rep.Violations))
	}
	return nil
}

func format(r *soak.Report, heapMiB uint64, proc *mockProcess) string {
	var b strings.Builder
	race := "off"
	if raceEnabled {
		race = "on"
	}
	verdict := "PASSED"
	if !r.Passed() {
		verdict = "FAILED"
	}
	where := "an in-process xinkmock"
	if proc != nil {
		where = "the xinkmock binary `" + proc.path + "` as its own process (state saved every 50 ms)"
	}
	fmt.Fprintf(&b, "Run %s (UTC) against %s with %s %s/%s, %d CPUs, race detector %s: **%s**.\n\n",
		time.Now().UTC().Format("2006-01-02 15:04"), where, runtime.Version(), runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), race, verdict)
	kinds := make([]string, 0, len(r.OpsByKind))
	for k := range r.OpsByKind {
		kinds = append(kinds, k)
	}
	slices.Sort(kinds)
	var mix []string
	for _, k := range kinds {
		mix = append(mix, fmt.Sprintf("%s %d", k, r.OpsByKind[k]))
	}
	rows := [][2]string{
		{"concurrent clients (xink facade)", fmt.Sprint(r.Workers)},
		{"operations", fmt.Sprintf("%d (%d per client): %s", r.Ops, r.OpsPerWorker, strings.Join(mix, ", "))},
		{"failed operations", fmt.Sprint(r.Errors)},
		{"duration, throughput", fmt.Sprintf("%.1f s, %.0f operations/s", r.Duration.Seconds(), float64(r.Ops)/r.Duration.Seconds())},
		{"requests the mock answered (incl. checks)", fmt.Sprint(r.Requests)},
		{"answered 5xx or dropped", fmt.Sprint(r.Status5xx)},
		{"error log lines (panics, strict violations)", fmt.Sprintf("%d, %d strict violations", r.ErrorLogLines, r.StrictViolations)},
		{"employees created, deleted", fmt.Sprintf("%d, %d", r.Created, r.Deleted)},
		{"listed once each / Total", fmt.Sprintf("%d / %d", r.Listed, r.Total)},
		{"last writes read back (no lost update)", fmt.Sprint(r.FieldsChecked)},
	}
	if r.ServerChecked {
		rows = append(rows,
			[2]string{"live heap before, after (after GC)", fmt.Sprintf("%.1f MiB, %.1f MiB (bound: +%d MiB)", float64(r.HeapBefore)/(1<<20), float64(r.HeapAfter)/(1<<20), heapMiB)},
			[2]string{"goroutines before, after", fmt.Sprintf("%d, %d", r.GoroutinesBefore, r.GoroutinesAfter)})
	}
	if proc != nil {
		rows = append(rows,
			[2]string{"mock process: resident memory after warm-up, at the end", fmt.Sprintf("%.1f MiB, %.1f MiB (bound: +%d MiB; race detector shadow memory included)", float64(proc.rssBefore)/(1<<20), float64(proc.rssAfter)/(1<<20), maxRSSGrowth>>20)},
			[2]string{"mock process: exit after SIGTERM, race reports, panics", fmt.Sprintf("%s, %d, %d", proc.exit, proc.races, proc.panics)},
			[2]string{"state file after shutdown: employees with their last write", fmt.Sprintf("%d of %d", proc.stateOK, len(r.Live))})
	}
	rows = append(rows, [][2]string{
		{"broken invariants", fmt.Sprint(len(r.Violations))},
	}...)
	b.WriteString("| figure | value |\n|---|---|\n")
	for _, row := range rows {
		fmt.Fprintf(&b, "| %s | %s |\n", row[0], row[1])
	}
	for _, v := range r.Violations {
		fmt.Fprintf(&b, "\n- violation: %s", v)
	}
	for _, e := range r.FirstErrors {
		fmt.Fprintf(&b, "\n- failure: %s", e)
	}
	return strings.TrimRight(b.String(), "\n")
}

// writeSection replaces the text between <!-- BEGIN name --> and <!-- END name --> in file.
func writeSection(file, name, text string) error {
	b, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	begin, end := "<!-- BEGIN "+name+" -->", "<!-- END "+name+" -->"
	s := string(b)
	i, j := strings.Index(s, begin), strings.Index(s, end)
	if i < 0 || j < i {
		return fmt.Errorf("%s has no %s ... %s markers", file, begin, end)
	}
	s = s[:i+len(begin)] + "\n" + text + "\n" + s[j:]
	return os.WriteFile(file, []byte(s), 0o644)
}
