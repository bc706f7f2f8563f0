package bench_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/xink-go/xink-go/generated/xinkapi"
	"github.com/xink-go/xink-go/xink"
)

// pageServer serves a token and one fixed employee page (captured from the
// mock with 100 employees), so that both benchmarks below decode exactly the
// same bytes and only the client code differs.
func pageServer(b *testing.B) *httptest.Server {
	b.Helper()
	srv, token := newMock(b, 100)
	req := httptest.NewRequest("GET", "/api/1.0/employee/list/0/50", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, req)
	if rec.Code != http.StatusOK {
		b.Fatalf("page: %d %s", rec.Code, rec.Body)
	}
	page := rec.Body.Bytes()
	ts := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		switch r.URL.Path {
		case "/OAuth/Token":
			io.WriteString(w, `{"access_token":"bench-token","token_type":"bearer","expires_in":7200}`)
		case "/api/1.0/employee/list/0/50":
			w.Write(page)
		default:
			http.NotFound(w, r)
		}
	}))
	b.Cleanup(ts.Close)
	return ts
}

// BenchmarkClientOverhead compares one employee-page call through the xink
// facade (token cache, retries, error mapping, generated decoding) with the
// same request made with raw net/http and decoded with encoding/json into the
// same type. Target: xink at most 1.5x raw.
func BenchmarkClientOverhead(b *testing.B) {
	ts := pageServer(b)
	ctx := context.Background()

	b.Run("raw", func(b *testing.B) {
		hc := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}
		b.ReportAllocs()
		for b.Loop() {
			req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/api/1.0/employee/list/0/50", nil)
			req.Header.Set("Authorization", "Bearer bench-token")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var page xinkapi.EmployeeListResult
			err = json.NewDecoder(resp.Body).Decode(&page)
			resp.Body.Close()
			if err != nil || len(page.Employees.MustGet()) != 50 {
				b.Fatalf("decode: %v", err)
			}
		}
	})

	b.Run("xink", func(b *testing.B) {
		c, err := xink.NewClient(ctx, xink.WithCredentials("bench@SRV", "secret"), xink.WithAuthURL(ts.URL),
			xink.WithAPIRoot(ts.URL), xink.WithHTTPClient(&http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 4}}))
		if err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		for b.Loop() {
			page, err := c.ListEmployeesPage(ctx, 0, 50)
			if err != nil || len(page.Employees.MustGet()) != 50 {
				b.Fatalf("xink: %v", err)
			}
		}
	})
}
