package xink_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xink-go/xink-go/xink"
)

// hostileTransport answers every request with the fuzzed response (the token request too,
// when fuzzToken is set; otherwise a good token), and records where bearer tokens went.
type hostileTransport struct {
	status                      int
	contentType, wwwAuth, retry string
	body                        []byte
	fuzzToken                   bool
	mu                          sync.Mutex
	bearerHosts                 []string
}

func (h *hostileTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	if strings.HasPrefix(req.Header.Get("Authorization"), "Bearer ") {
		h.mu.Lock()
		h.bearerHosts = append(h.bearerHosts, req.URL.Host)
		h.mu.Unlock()
	}
	resp := &http.Response{StatusCode: h.status, Header: http.Header{}, Request: req, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1}
	if req.URL.Path == "/OAuth/Token" && !h.fuzzToken {
		resp.StatusCode = 200
		resp.Header.Set("Content-Type", "application/json")
		resp.Body = io.NopCloser(strings.NewReader(`{"access_token":"good-token","token_type":"bearer","expires_in":7200}`))
		return resp, nil
	}
	if h.contentType != "" {
		resp.Header.Set("Content-Type", h.contentType)
	}
	if h.wwwAuth != "" {
		resp.Header.Set("WWW-Authenticate", h.wwwAuth)
	}
	if h.retry != "" {
		resp.Header.Set("Retry-After", h.retry)
	}
	resp.Body = io.NopCloser(bytes.NewReader(h.body))
	resp.ContentLength = int64(len(h.body))
	return resp, nil
}

const (
	fuzzAuthHost = "127.0.0.1:1"
	fuzzAPIHost  = "127.0.0.1:2"
)

// FuzzClientDecodesHostileResponses: whatever status, headers and body a server sends, every
// operation returns either a result or an error (never both, never a panic); a non-2xx
// status is an *Error with that status, the sentinel that matches it, a bounded body and
// Retry-After; and the bearer token goes only to the auth host and the API root.
func FuzzClientDecodesHostileResponses(f *testing.F) {
	f.Add(uint8(2), uint16(200), "application/json", "", "", []byte(`{"Success":true,"Employee":{"Email":"a@example.com"}}`))
	f.Add(uint8(2), uint16(200), "application/json", "", "", []byte(`{"Success":false,"Error":"nope"}`))
	f.Add(uint8(2), uint16(200), "text/html", "", "", []byte(`<html>`))
	f.Add(uint8(3), uint16(200), "application/json; charset=utf-8", "", "", []byte(`{"Success":true,"Employees":[{"Email":1}],"Total":"x"}`))
	f.Add(uint8(4), uint16(401), "application/json", `Bearer realm="xink", error="invalid_token", error_description="expired \"x\""`, "", []byte(`{"Success":false,"Error":"expired"}`))
	f.Add(uint8(5), uint16(403), "application/json", `Bearer error="insufficient_scope", scope="employeectrl`, "", []byte(`{"Error":null}`))
	f.Add(uint8(6), uint16(229), "application/problem+json", "", "-1", []byte(`{"Success":true,"Fields":null}`))
	f.Add(uint8(2), uint16(29), "application/json", "", "99999999999999999999", []byte(`{"Success":false`))
	f.Add(uint8(2), uint16(303), "application/json", "", "Wed, 21 Oct 2099 07:28:00 GMT", []byte(`null`))
	f.Add(uint8(0), uint16(200), "application/json", "", "", []byte(`{"access_token":"t","expires_in":"3600"}`))
	f.Add(uint8(0), uint16(200), "application/json", "", "", []byte(`{"access_token":"t","expires_in":-5}`))
	f.Add(uint8(0), uint16(200), "application/json", "", "", []byte(`{"access_token":"t","expires_in":1e308}`))
	f.Add(uint8(0), uint16(400), "application/json", "", "", []byte(`{"error":"invalid_client","error_description":7}`))
	f.Add(uint8(1), uint16(200), "application/json", "", "", []byte(`{"Success":true,"APIRoot":"https://evil.example.com","DataCenterID":"EU"}`))
	f.Add(uint8(1), uint16(200), "application/json", "", "", []byte(`{"Success":true,"APIRoot":"http://evil.example.com"}`))
	f.Add(uint8(1), uint16(200), "application/json", "", "", []byte(`{"Success":true,"APIRoot":"javascript:alert(1)"}`))
	f.Fuzz(func(t *testing.T, op uint8, status uint16, contentType, wwwAuth, retryAfter string, body []byte) {
		code := 200 + int(status)%400
		ht := &hostileTransport{status: code, contentType: contentType, wwwAuth: wwwAuth, retry: retryAfter, body: body, fuzzToken: op%7 == 0}
		opts := []xink.Option{
			xink.WithCredentials("fuzz@SRV", "fuzz-secret"),
			xink.WithAuthURL("http://" + fuzzAuthHost),
			xink.WithHTTPClient(&http.Client{Transport: ht, Timeout: 5 * time.Second}),
			xink.WithRetryPolicy(xink.RetryPolicy{MaxAttempts: 1}),
		}
		if op%7 != 1 {
			opts = append(opts, xink.WithAPIRoot("http://"+fuzzAPIHost))
		}
		c, err := xink.NewClient(context.Background(), opts...)
		if err != nil {
			t.Fatal(err)
		}
		ctx := context.Background()
		var (
			gotResult bool
			callErr   error
			apiCall   = true
		)
		switch op % 7 {
		case 0:
			tok, err := c.GetToken(ctx)
			gotResult, callErr, apiCall = tok != nil, err, false
			if err == nil && (tok.AccessToken == "" || !tok.Expiry.After(time.Now())) {
				t.Fatalf("token without a value or already expired: %+v", tok)
			}
		case 1:
			d, err := c.GetDiscovery(ctx)
			gotResult, callErr, apiCall = d != nil, err, false
			if err == nil {
				if d.APIRoot == "" {
					t.Fatal("discovery without an APIRoot returned no error")
				}
				_, _ = c.GetEmployee(ctx, "a@example.com") // follows the discovered root
			}
		case 2:
			e, err := c.GetEmployee(ctx, "a@example.com")
			gotResult, callErr = e != nil, err
		case 3:
			p, err := c.ListEmployeesPage(ctx, 0, 10)
			gotResult, callErr = p != nil, err
		case 4:
			_, callErr = c.GetEmployeeFields(ctx, "a@example.com")
			gotResult = callErr == nil
		case 5:
			_, callErr = c.ListSignatures(ctx)
			gotResult = callErr == nil
		case 6:
			_, callErr = c.SetEmployeeFields(ctx, "a@example.com", xink.FieldValue{Name: "JobTitle", Value: xink.Value("x")})
			gotResult = callErr == nil
		}
		if gotResult == (callErr != nil) {
			t.Fatalf("op %d, status %d: result %v and error %v", op%7, code, gotResult, callErr)
		}
		if callErr != nil && callErr.Error() == "" {
			t.Fatal("an error with no text")
		}
		if code < 200 || code > 299 {
			if op%7 == 1 || (!apiCall && code == 200) {
				return
			}
			var xe *xink.Error
			if !errors.As(callErr, &xe) {
				t.Fatalf("op %d, status %d: error %v is not an *xink.Error", op%7, code, callErr)
			}
			if xe.StatusCode != code || len(xe.Body) > 64<<10 || xe.RetryAfter < 0 || xe.RetryAfter > 24*time.Hour {
				t.Fatalf("op %d: *Error %+v for status %d", op%7, xe, code)
			}
			for sentinel, want := range map[error]int{xink.ErrBadRequest: 400, xink.ErrUnauthorized: 401, xink.ErrForbidden: 403, xink.ErrNotFound: 404, xink.ErrConflict: 409, xink.ErrRateLimited: 429} {
				if errors.Is(callErr, sentinel) != (code == want) {
					t.Fatalf("status %d: errors.Is(%v) = %v", code, sentinel, !(code == want))
				}
			}
		}
		for _, h := range ht.bearerHosts {
			if h != fuzzAuthHost && h != fuzzAPIHost {
				if d, err := c.GetDiscovery(ctx); err != nil || !strings.Contains(d.APIRoot, "://"+h) {
					t.Fatalf("the bearer token was sent to %s, neither the auth host nor the API root", h)
				}
			}
		}
	})
}
