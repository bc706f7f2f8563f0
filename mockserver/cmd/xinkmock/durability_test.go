package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/xink-go/xink-go/mockserver"
)

// childEnv makes the test binary run xinkmock's main instead of the tests, so a test can
// start the real program as a separate process and SIGKILL it.
const childEnv = "XINKMOCK_TEST_RUN_MAIN"

func TestMain(m *testing.M) {
	if os.Getenv(childEnv) == "1" {
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// child is xinkmock running as its own process.
type child struct {
	cmd  *exec.Cmd
	base string
	logs *syncBuffer
	out  *syncBuffer
	done chan error
}

// startChild runs xinkmock (this test binary in child mode) on 127.0.0.1:0 and waits for
// its banner.
func startChild(t *testing.T, args ...string) *child {
	t.Helper()
	cmd := exec.Command(os.Args[0], append([]string{"--addr", "127.0.0.1:0"}, args...)...)
	cmd.Env = append(os.Environ(), childEnv+"=1")
	c := &child{cmd: cmd, logs: &syncBuffer{}, out: &syncBuffer{}, done: make(chan error, 1)}
	cmd.Stderr = c.logs
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		<-c.done
	})
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			line := sc.Text()
			_, _ = c.out.Write([]byte(line + "\n"))
			if u, ok := strings.CutPrefix(line, "xinkmock listening on "); ok {
				urls <- u
			}
		}
		c.done <- cmd.Wait()
	}()
	select {
	case c.base = <-urls:
		return c
	case <-time.After(60 * time.Second):
		t.Fatalf("xinkmock did not print its banner; stderr:\n%s", c.logs.String())
	}
	return nil
}

// kill sends SIGKILL and waits for the process to be gone.
func (c *child) kill(t *testing.T) {
	t.Helper()
	if err := c.cmd.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	select {
	case <-c.done:
		c.done <- nil // for the cleanup
	case <-time.After(30 * time.Second):
		t.Fatal("the killed process did not exit")
	}
}

// createEmployee posts one employee; it reports whether the mock acknowledged it with 200.
func createEmployee(ctx context.Context, hc *http.Client, base, tok, email string) bool {
	req, err := http.NewRequestWithContext(ctx, "POST", base+"/api/1.0/employee", strings.NewReader(`{"Email":"`+email+`","FirstName":"Kill"}`))
	if err != nil {
		return false
	}
	req.Header.Set("Authorization", "Bearer "+tok)
	req.Header.Set("Content-Type", "application/json")
	resp, err := hc.Do(req)
	if err != nil {
		return false
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode == 200
}

// loadState reads the state file and proves it is complete: it parses, a mock starts from
// it, and the employees of each round form a gap-free prefix of the ones created in order.
// It returns, per round, how many of that round's employees the file holds.
func loadState(t *testing.T, file string, rounds int) []int {
	t.Helper()
	st, err := mockserver.ReadStateFile(file)
	if err != nil {
		t.Fatalf("the state file is not valid after SIGKILL: %v", err)
	}
	if _, err := mockserver.New(mockserver.WithState(st)); err != nil {
		t.Fatalf("a mock cannot start from the state file: %v", err)
	}
	have := map[string]bool{}
	for _, a := range st.Data.Accounts {
		for _, e := range a.Employees {
			have[e.Email] = true
		}
	}
	counts := make([]int, rounds)
	for r := range rounds {
		n := 0
		for have[killEmail(r, n)] {
			n++
		}
		for i := n; i < n+1000; i++ {
			if have[killEmail(r, i)] {
				t.Fatalf("round %d: the state holds employee %d but not %d: writes were saved out of order", r, i, n)
			}
		}
		counts[r] = n
	}
	return counts
}

func killEmail(round, i int) string { return fmt.Sprintf("kill-%d-%05d@example.com", round, i) }

// TestStateSurvivesSIGKILL kills xinkmock with SIGKILL while a writer keeps it saving its
// state file (every 20 ms, a few thousand employees), at the moment a save has its
// temporary file open, then proves the next start loads a complete, valid state that holds
// every write the previous run had saved, and that the temporary files are cleaned up.
func TestStateSurvivesSIGKILL(t *testing.T) {
	if testing.Short() {
		t.Skip("starts and kills several processes")
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "state.json")
	seed := mockserver.DefaultSeed()
	seed.Accounts[0].Employees = append(seed.Accounts[0].Employees, mockserver.GenerateEmployees(3000)...)
	b, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	seedFile := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(seedFile, b, 0o600); err != nil {
		t.Fatal(err)
	}
	const rounds = 4
	const confirmed = 10 // written, then seen in the file, before the burst that the kill cuts
	hc := &http.Client{Timeout: 10 * time.Second}
	var prevTok string
	tmpLeft := 0
	for r := range rounds {
		c := startChild(t, "--seed", seedFile, "--state", file, "--state-interval", "20ms", "--log-level", "warn")
		if r > 0 {
			for end := time.Now().Add(10 * time.Second); !strings.Contains(c.out.String(), "loaded from") && time.Now().Before(end); {
				time.Sleep(5 * time.Millisecond) // the rest of the banner follows the first line
			}
			if !strings.Contains(c.out.String(), "loaded from") {
				t.Fatalf("round %d: the banner does not say the state was loaded:\n%s", r, c.out.String())
			}
			if left, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp-*")); len(left) > 0 {
				t.Errorf("round %d: temporary files of the killed run were not removed at start: %v", r, left)
			}
			// A token issued (and saved) before the kill still works after it.
			if got := call(t, "GET", c.base+"/api/1.0/account/info", prevTok, ""); got != 200 {
				t.Errorf("round %d: the previous run's token gets %d after the restart, want 200", r, got)
			}
		}
		tok := token(t, c.base, mockserver.DemoClientID, mockserver.DemoClientSecret)
		prevTok = tok
		for i := range confirmed {
			if !createEmployee(context.Background(), hc, c.base, tok, killEmail(r, i)) {
				t.Fatalf("round %d: create %d failed; log:\n%s", r, i, c.logs.String())
			}
		}
		deadline := time.Now().Add(20 * time.Second)
		for {
			st, err := mockserver.ReadStateFile(file)
			if err == nil && slicesHasEmail(st, killEmail(r, confirmed-1)) {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("round %d: the periodic save never wrote the confirmed writes (last error %v)", r, err)
			}
			time.Sleep(10 * time.Millisecond)
		}
		// The burst: one writer creates employees in order as fast as it can, and the process
		// is killed at a random moment while it saves.
		ctx, cancel := context.WithCancel(context.Background())
		var acked atomic.Int64
		acked.Store(confirmed)
		writerDone := make(chan struct{})
		go func() {
			defer close(writerDone)
			for i := confirmed; ctx.Err() == nil; i++ {
				if !createEmployee(ctx, hc, c.base, tok, killEmail(r, i)) {
					return
				}
				acked.Store(int64(i + 1))
			}
		}()
		// Let the burst run a little, then kill the moment a save has its temporary file
		// open (between create and rename), so the kill lands inside a save.
		time.Sleep(time.Duration(50+rand.IntN(150)) * time.Millisecond)
		for end := time.Now().Add(5 * time.Second); time.Now().Before(end); {
			if left, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp-*")); len(left) > 0 {
				break
			}
		}
		c.kill(t)
		cancel()
		<-writerDone
		if strings.Contains(c.logs.String(), "DATA RACE") || strings.Contains(c.logs.String(), "panic") {
			t.Fatalf("round %d: the process reported a data race or a panic (saves run beside requests):\n%s", r, c.logs.String())
		}
		if left, _ := filepath.Glob(filepath.Join(dir, ".state.json.tmp-*")); len(left) > 0 {
			tmpLeft++ // the kill landed inside a save
		}
		counts := loadState(t, file, r+1)
		if got := counts[r]; got < confirmed || int64(got) > acked.Load() {
			t.Errorf("round %d: the state holds %d employees of this round, want between %d (saved before the burst) and %d (acknowledged)", r, got, confirmed, acked.Load())
		}
		for p := range r {
			if counts[p] < confirmed {
				t.Errorf("round %d: round %d's saved employees were lost (%d left)", r, p, counts[p])
			}
		}
		t.Logf("round %d: %d writes acknowledged, %d in the state file after SIGKILL", r, acked.Load(), counts[r])
	}
	t.Logf("%d of %d kills left a temporary file behind (killed mid-save); every state file was complete", tmpLeft, rounds)
	if tmpLeft == 0 {
		t.Errorf("no kill landed inside a save (no temporary file was ever left): the test did not test what it claims")
	}
}

func slicesHasEmail(st *mockserver.State, email string) bool {
	for _, a := range st.Data.Accounts {
		for _, e := range a.Employees {
			if e.Email == email {
				return true
			}
		}
	}
	return false
}
