package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xink-go/xink-go/mockserver"
)

// syncBuffer is a goroutine-safe log sink.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// launch runs the binary's run() on 127.0.0.1:0 and returns its base URL and a stop function
// that sends the equivalent of SIGTERM and waits for run to return.
func launch(t *testing.T, args ...string) (string, *syncBuffer, *syncBuffer, func() error) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	out, logs := &syncBuffer{}, &syncBuffer{}
	ready := make(chan string, 1)
	done := make(chan error, 1)
	go func() {
		done <- run(ctx, append([]string{"--addr", "127.0.0.1:0", "--strict"}, args...), out, logs, func(u string) { ready <- u })
	}()
	select {
	case u := <-ready:
		return u, out, logs, func() error {
			cancel()
			err := <-done
			if strings.Contains(logs.String(), "STRICT") {
				t.Errorf("a response failed strict validation:\n%s", logs.String())
			}
			return err
		}
	case err := <-done:
		cancel()
		t.Fatalf("run: %v (log: %s)", err, logs.String())
	case <-time.After(10 * time.Second):
		cancel()
		t.Fatal("xinkmock did not start")
	}
	return "", nil, nil, nil
}

func token(t *testing.T, base, id, secret string) string {
	t.Helper()
	req, _ := http.NewRequest("POST", base+"/OAuth/Token", strings.NewReader("grant_type=client_credentials"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth(id, secret)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if resp.StatusCode != 200 || json.NewDecoder(resp.Body).Decode(&body) != nil {
		t.Fatalf("token: status %d", resp.StatusCode)
	}
	return body.AccessToken
}

func call(t *testing.T, method, u, tok, body string) int {
	t.Helper()
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+tok)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = io.Copy(io.Discard, resp.Body)
	_ = resp.Body.Close()
	return resp.StatusCode
}

func TestBannerClientsAndLogs(t *testing.T) {
	base, out, logs, stop := launch(t, "--client", "ci@SRV:ci-secret-123:employeeread:US", "--token-ttl", "10m")
	if !strings.HasPrefix(base, "http://127.0.0.1:") || strings.HasSuffix(base, ":0") {
		t.Fatalf("base URL %q", base)
	}
	banner := out.String()
	for _, want := range []string{"xinkmock listening on " + base, mockserver.DemoClientID, mockserver.DemoClientSecret, base + "/OAuth/Token", "ci@SRV"} {
		if !strings.Contains(banner, want) {
			t.Errorf("banner lacks %q:\n%s", want, banner)
		}
	}
	if strings.Contains(banner, "ci-secret-123") {
		t.Error("banner prints a --client secret")
	}
	tok := token(t, base, "ci@SRV", "ci-secret-123")
	if got := call(t, "GET", base+"/api/1.0/employee/list/0/3", tok, ""); got != 200 {
		t.Errorf("list: %d", got)
	}
	if got := call(t, "POST", base+"/api/1.0/employee", tok, `{"Email":"x@example.com"}`); got != 403 {
		t.Errorf("create with a read-only client: %d", got)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	l := logs.String()
	if n := strings.Count(l, "msg=request "); n != 3 {
		t.Errorf("%d request log lines, want 3:\n%s", n, l)
	}
	if strings.Contains(l, tok) || strings.Contains(l, "ci-secret-123") {
		t.Error("a token or a secret reached the log")
	}
}

func TestStateSurvivesRestart(t *testing.T) {
	file := filepath.Join(t.TempDir(), "xinkmock-state.json")
	base, _, _, stop := launch(t, "--state", file)
	tok := token(t, base, mockserver.DemoClientID, mockserver.DemoClientSecret)
	if got := call(t, "POST", base+"/api/1.0/employee", tok, `{"Email":"restart@example.com","FirstName":"Ünïcode"}`); got != 200 {
		t.Fatalf("create: %d", got)
	}
	if got := call(t, "PUT", base+"/api/1.0/rerouting/"+url.PathEscape("restart@example.com"), tok, `{"Enabled":true}`); got != 200 {
		t.Fatalf("rerouting: %d", got)
	}
	if err := stop(); err != nil {
		t.Fatal(err)
	}

	base2, out2, _, stop2 := launch(t, "--state", file)
	defer func() { _ = stop2() }()
	if !strings.Contains(out2.String(), "loaded from") {
		t.Errorf("banner does not say the state was loaded:\n%s", out2.String())
	}
	// Same token, same data, on a new process and port.
	if got := call(t, "GET", base2+"/api/1.0/employee/restart@example.com", tok, ""); got != 200 {
		t.Fatalf("employee after restart: %d", got)
	}
	req, _ := http.NewRequest("GET", base2+"/api/1.0/rerouting/restart@example.com", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var rr struct{ Rerouting struct{ Enabled bool } }
	_ = json.NewDecoder(resp.Body).Decode(&rr)
	if !rr.Rerouting.Enabled {
		t.Error("rerouting state lost across the restart")
	}
}

func TestGracefulShutdownFinishesInFlight(t *testing.T) {
	base, _, _, stop := launch(t)
	tok := token(t, base, mockserver.DemoClientID, mockserver.DemoClientSecret)
	// A slow request (injected latency) is in flight when the signal comes.
	req, _ := http.NewRequest("POST", base+"/_mock/faults", strings.NewReader(`{"Operation":"getAccountInfo","LatencySeconds":0.4}`))
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("adding a fault: %v", err)
	}
	status := make(chan int, 1)
	go func() {
		r, _ := http.NewRequest("GET", base+"/api/1.0/account/info", nil)
		r.Header.Set("Authorization", "Bearer "+tok)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			status <- -1
			return
		}
		_ = resp.Body.Close()
		status <- resp.StatusCode
	}()
	time.Sleep(100 * time.Millisecond)
	if err := stop(); err != nil {
		t.Fatal(err)
	}
	if got := <-status; got != 200 {
		t.Errorf("in-flight request got %d, want 200", got)
	}
}

func TestFlagErrors(t *testing.T) {
	for _, args := range [][]string{
		{"--client", "no-secret"},
		{"--client", "a@SRV:s:notascope"},
		{"--client", "a@SRV:s::MARS"},
		{"--log-level", "loud"},
		{"--seed", "/does/not/exist.json"},
		{"--token-ttl", "0s"},
		{"extra-arg"},
	} {
		err := run(context.Background(), append([]string{"--addr", "127.0.0.1:0"}, args...), io.Discard, io.Discard, nil)
		if err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestSeedFlag(t *testing.T) {
	seed := mockserver.DefaultSeed()
	a := &seed.Accounts[0]
	a.Employees = mockserver.GenerateEmployees(3)
	a.Assignments, a.Rerouting, a.SharedMailboxes = nil, nil, nil
	seed.Clients = nil
	b, err := json.Marshal(seed)
	if err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(file, b, 0o600); err != nil {
		t.Fatal(err)
	}
	base, out, _, stop := launch(t, "--seed", file, "--base-url", "http://mock.example:9999")
	defer func() { _ = stop() }()
	if strings.Contains(out.String(), "partner client") {
		t.Error("banner lists the partner client of the embedded seed")
	}
	tok := token(t, base, mockserver.DemoClientID, mockserver.DemoClientSecret)
	req, _ := http.NewRequest("GET", base+"/api/1.0/employee/list", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var list struct{ Total int }
	_ = json.NewDecoder(resp.Body).Decode(&list)
	if list.Total != 3 {
		t.Errorf("Total %d with a 3-employee seed", list.Total)
	}
	req, _ = http.NewRequest("GET", base+"/Discovery", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp2, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp2.Body.Close()
	var d struct{ APIRoot, ImgRoot string }
	_ = json.NewDecoder(resp2.Body).Decode(&d)
	if d.APIRoot != "http://mock.example:9999" || d.ImgRoot != "http://mock.example:9999/img" {
		t.Errorf("discovery with --base-url: %+v", d)
	}
	// A seed with a typo in a field name is refused, naming it.
	if err := os.WriteFile(file, []byte(`{"Accounts":[{"AccountId":"a","Name":"x","Employes":[]}]}`), 0o600); err != nil {
		t.Fatal(err)
	}
	err = run(context.Background(), []string{"--addr", "127.0.0.1:0", "--seed", file}, io.Discard, io.Discard, nil)
	if err == nil || !strings.Contains(err.Error(), "Employes") {
		t.Errorf("seed with a typo: %v", err)
	}
}
