package bench_test

import (
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
)

// newMock returns an in-process mock (validation and auth on, logs off) whose
// first account has n employees (0 = the embedded seed as is), and a token
// with every scope.
func newMock(tb testing.TB, n int) (*mockserver.Server, string) {
	tb.Helper()
	seed := mockserver.DefaultSeed()
	if n > 0 {
		acct := &seed.Accounts[0]
		if extra := n - len(acct.Employees); extra > 0 {
			acct.Employees = append(acct.Employees, mockserver.GenerateEmployees(extra)...)
		} else {
			acct.Employees = acct.Employees[:n]
		}
	}
	srv, err := mockserver.New(mockserver.WithSeed(seed), mockserver.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		tb.Fatal(err)
	}
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {mockserver.DemoClientID},
		"client_secret": {mockserver.DemoClientSecret}}.Encode()
	req := httptest.NewRequest("POST", "/OAuth/Token", strings.NewReader(form))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &tok); err != nil || tok.AccessToken == "" {
		tb.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	return srv, tok.AccessToken
}

// serve runs one request through the handler and fails on a non-2xx answer.
func serve(b *testing.B, h http.Handler, token, method, target, body string) {
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req := httptest.NewRequest(method, target, r)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code/100 != 2 {
		b.Fatalf("%s %s: %d %s", method, target, rec.Code, rec.Body)
	}
}

// BenchmarkMockOperation measures the mock's handler per operation, in
// process, with request validation, auth and scope checks on.
func BenchmarkMockOperation(b *testing.B) {
	srv, token := newMock(b, 0)
	email := url.PathEscape("zoe.ostergaard@example.com")
	ops := []struct{ name, method, target, body string }{
		{"listEmployeesPage", "GET", "/api/1.0/employee/list/0/20", ""},
		{"getEmployee", "GET", "/api/1.0/employee/" + email, ""},
		{"getEmployeeFields", "GET", "/api/1.0/employee/" + email + "/fields", ""},
		{"getEmployeeSignatures", "GET", "/api/1.0/employee/" + email + "/signatures", ""},
		{"listSignatures", "GET", "/api/1.0/signature/list", ""},
		{"setRerouting", "PUT", "/api/1.0/rerouting/" + email, `{"Enabled":true}`},
		{"getDiscovery", "GET", "/Discovery", ""},
	}
	for _, op := range ops {
		b.Run(op.name, func(b *testing.B) {
			b.ReportAllocs()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					serve(b, srv, token, op.method, op.target, op.body)
				}
			})
		})
	}
}

// BenchmarkMockListPage compares the same 50-employee page with 100 and with
// 100,000 employees in the account (target: within 2x).
func BenchmarkMockListPage(b *testing.B) {
	for _, n := range []int{100, 100_000} {
		srv, token := newMock(b, n)
		for _, offset := range []int{0, n - 50} {
			b.Run(fmt.Sprintf("employees=%d/offset=%d", n, offset), func(b *testing.B) {
				b.ReportAllocs()
				target := fmt.Sprintf("/api/1.0/employee/list/%d/50", offset)
				for b.Loop() {
					serve(b, srv, token, "GET", target, "")
				}
			})
		}
	}
}
