package main

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/soak"
)

// maxRSSGrowth bounds the mock process's resident memory growth over the soak. It is a
// process figure (the race detector's shadow memory included), so it is looser than the
// in-process heap bound.
const maxRSSGrowth = 256 << 20

// lockedBuffer collects the mock's log.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// mockProcess is a xinkmock binary under soak.
type mockProcess struct {
	path, base, stateFile, dir string
	cmd                        *exec.Cmd
	log                        *lockedBuffer
	done                       chan error

	rssBefore, rssAfter uint64
	exit                string
	races, panics       int
	stateOK             int
}

func startMock(ctx context.Context, path string) (*mockProcess, error) {
	dir, err := os.MkdirTemp("", "xinksoak-")
	if err != nil {
		return nil, err
	}
	p := &mockProcess{path: path, dir: dir, stateFile: filepath.Join(dir, "state.json"), log: &lockedBuffer{}, done: make(chan error, 1)}
	p.cmd = exec.Command(path, "--addr", "127.0.0.1:0", "--strict", "--log-level", "info", "--state", p.stateFile, "--state-interval", "50ms")
	p.cmd.Stderr = p.log
	out, err := p.cmd.StdoutPipe()
	if err != nil {
		return nil, err
	}
	if err := p.cmd.Start(); err != nil {
		return nil, fmt.Errorf("starting %s: %w", path, err)
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(out)
		for sc.Scan() {
			if u, ok := strings.CutPrefix(sc.Text(), "xinkmock listening on "); ok {
				urls <- u
			}
		}
		p.done <- p.cmd.Wait()
	}()
	select {
	case p.base = <-urls:
	case <-time.After(60 * time.Second):
		p.kill()
		return nil, fmt.Errorf("%s printed no banner; its log:\n%s", path, p.log.String())
	case <-ctx.Done():
		p.kill()
		return nil, ctx.Err()
	}
	p.rssBefore = rss(p.cmd.Process.Pid)
	return p, nil
}

// kill ends the process if it still runs and removes its directory.
func (p *mockProcess) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Kill()
	}
	_ = os.RemoveAll(p.dir)
}

var (
	requestLine = regexp.MustCompile(`msg=request .*status=(\d+)`)
	errorLine   = regexp.MustCompile(`level=ERROR`)
)

// finish stops the mock with SIGTERM and checks, into the report: its exit, its log (every
// request line's status, error lines, panics, race reports) and the state file it saved.
func (p *mockProcess) finish(rep *soak.Report) {
	violate := func(format string, args ...any) {
		rep.Violations = append(rep.Violations, fmt.Sprintf(format, args...))
	}
	p.rssAfter = rss(p.cmd.Process.Pid)
	if p.rssAfter > p.rssBefore+maxRSSGrowth {
		violate("the mock's resident memory grew from %d to %d bytes (bound: +%d)", p.rssBefore, p.rssAfter, maxRSSGrowth)
	}
	_ = p.cmd.Process.Signal(syscall.SIGTERM)
	select {
	case err := <-p.done:
		p.exit = "0"
		if err != nil {
			p.exit = err.Error()
			violate("the mock did not exit cleanly after SIGTERM: %v", err)
		}
	case <-time.After(60 * time.Second):
		p.exit = "hung"
		violate("the mock did not exit within 60 s of SIGTERM")
		_ = p.cmd.Process.Kill()
	}
	log := p.log.String()
	for _, m := range requestLine.FindAllStringSubmatch(log, -1) {
		rep.Requests++
		if code, _ := strconv.Atoi(m[1]); code >= 500 || code == 0 {
			rep.Status5xx++
		}
	}
	rep.ErrorLogLines = int64(len(errorLine.FindAllString(log, -1)))
	p.races = strings.Count(log, "WARNING: DATA RACE")
	p.panics = strings.Count(log, "panic")
	switch {
	case rep.Requests == 0:
		violate("the mock's log holds no request line")
	case rep.Status5xx > 0:
		violate("%d requests were answered 5xx or dropped", rep.Status5xx)
	}
	if rep.ErrorLogLines > 0 {
		violate("the mock logged %d error lines", rep.ErrorLogLines)
	}
	if p.races > 0 || p.panics > 0 {
		violate("the mock reported %d data races and %d panics", p.races, p.panics)
	}
	st, err := mockserver.ReadStateFile(p.stateFile)
	if err != nil {
		violate("the state file saved at shutdown: %v", err)
		return
	}
	fields := map[string]map[string]string{}
	for _, a := range st.Data.Accounts {
		for _, e := range a.Employees {
			f := map[string]string{"JobTitle": e.JobTitle}
			for _, kv := range e.Fields {
				if kv.Value != nil {
					f[kv.Name] = *kv.Value
				}
			}
			fields[strings.ToLower(e.Email)] = f
		}
	}
	for e, want := range rep.Live {
		f, ok := fields[e]
		if ok && f["SoakSeq"] == want && f["JobTitle"] == want {
			p.stateOK++
		}
	}
	if p.stateOK != len(rep.Live) {
		violate("the state file holds %d of the %d live employees with their last writes", p.stateOK, len(rep.Live))
	}
}

// rss is a process's resident set size from /proc (0 where there is none).
func rss(pid int) uint64 {
	b, err := os.ReadFile(fmt.Sprintf("/proc/%d/status", pid))
	if err != nil {
		return 0
	}
	for _, line := range strings.Split(string(b), "\n") {
		if v, ok := strings.CutPrefix(line, "VmRSS:"); ok {
			kb, _ := strconv.ParseUint(strings.TrimSpace(strings.TrimSuffix(strings.TrimSpace(v), "kB")), 10, 64)
			return kb << 10
		}
	}
	return 0
}
