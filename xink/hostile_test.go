package xink_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xink-go/xink-go/xink"
)

var filler = []byte(strings.Repeat("a", 64<<10))

// endless is a response body that never ends.
type endless struct{ prefix string }

func (e *endless) Read(p []byte) (int, error) {
	n := copy(p, e.prefix)
	e.prefix = e.prefix[n:]
	for n < len(p) {
		n += copy(p[n:], filler)
	}
	return n, nil
}

type endlessTransport struct{ status int }

func (et endlessTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	h := http.Header{"Content-Type": {"application/json"}}
	if req.URL.Path == "/OAuth/Token" {
		return &http.Response{StatusCode: 200, Header: h, Request: req, Body: io.NopCloser(strings.NewReader(`{"access_token":"t","expires_in":60}`))}, nil
	}
	return &http.Response{StatusCode: et.status, Header: h, Request: req, Body: io.NopCloser(&endless{prefix: `{"Success":true,"Employee":{"Email":"`})}, nil
}

// TestEndlessResponseBody: a server that never ends its body costs the client a bounded
// read (32 MiB for a result, 64 KiB kept in an *Error), then an error, not a hang or OOM.
func TestEndlessResponseBody(t *testing.T) {
	for _, status := range []int{200, 500} {
		c, err := xink.NewClient(context.Background(), xink.WithCredentials("id@SRV", "s"),
			xink.WithAuthURL("http://127.0.0.1:1"), xink.WithAPIRoot("http://127.0.0.1:2"),
			xink.WithHTTPClient(&http.Client{Transport: endlessTransport{status}}), xink.WithRetryPolicy(xink.RetryPolicy{MaxAttempts: 1}))
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		e, err := c.GetEmployee(context.Background(), "a@example.com")
		if err == nil || e != nil {
			t.Fatalf("status %d: an endless body gave %v, %v", status, e, err)
		}
		var xe *xink.Error
		if status != 200 && (!errors.As(err, &xe) || len(xe.Body) > 64<<10) {
			t.Errorf("status %d: error %v (body kept: %d bytes)", status, err, len(xe.Body))
		}
		if d := time.Since(start); d > 30*time.Second {
			t.Errorf("status %d: took %v", status, d)
		}
	}
}
