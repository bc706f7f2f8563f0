package main

import (
	"bufio"
	"errors"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/xink-go/xink-go/mockserver"
)

// dialBase opens a raw TCP connection to the mock behind base (http://host:port).
func dialBase(t *testing.T, base string) net.Conn {
	t.Helper()
	conn, err := net.Dial("tcp", strings.TrimPrefix(base, "http://"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close() })
	return conn
}

// closedWithin reads from conn until the server closes it; it fails the test if that takes
// longer than limit, and returns what the server sent.
func closedWithin(t *testing.T, conn net.Conn, limit time.Duration) string {
	t.Helper()
	_ = conn.SetReadDeadline(time.Now().Add(limit))
	b, err := io.ReadAll(conn)
	var ne net.Error
	if errors.As(err, &ne) && ne.Timeout() {
		t.Fatalf("the server kept a slow client's connection open for more than %v", limit)
	}
	return string(b)
}

// TestSlowClientsAreCut: a client that trickles its headers or its body is disconnected
// after the read timeouts, and the mock keeps serving everyone else.
func TestSlowClientsAreCut(t *testing.T) {
	base, _, _, stop := launch(t, "--read-header-timeout", "300ms", "--read-timeout", "600ms")
	defer func() { _ = stop() }()

	t.Run("headers never finish", func(t *testing.T) {
		conn := dialBase(t, base)
		if _, err := io.WriteString(conn, "GET /_mock/health HTTP/1.1\r\nHost: x\r\n"); err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		closedWithin(t, conn, 10*time.Second)
		if d := time.Since(start); d < 200*time.Millisecond {
			t.Errorf("closed after %v, before the 300ms header timeout", d)
		}
	})
	t.Run("body trickles", func(t *testing.T) {
		tok := token(t, base, mockserver.DemoClientID, mockserver.DemoClientSecret)
		conn := dialBase(t, base)
		_, err := io.WriteString(conn, "POST /api/1.0/employee HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer "+tok+
			"\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{\"Email\":")
		if err != nil {
			t.Fatal(err)
		}
		got := closedWithin(t, conn, 10*time.Second)
		if !strings.HasPrefix(got, "HTTP/1.1 400 ") || !strings.Contains(got, "read timeout") || !strings.Contains(got, "Connection: close") {
			t.Errorf("a request whose body never arrived: want 400 naming the read timeout, then close; got %q", got)
		}
		if strings.Contains(got, "127.0.0.1") {
			t.Errorf("the answer names network addresses: %q", got)
		}
	})
	// Everyone else is still served.
	resp, err := http.Get(base + "/_mock/health")
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	if resp.StatusCode != 200 {
		t.Fatalf("health after slow clients: %d", resp.StatusCode)
	}
}

// TestHeaderSizeCap: a header block over MaxHeaderBytes gets 431, one just under it is served.
func TestHeaderSizeCap(t *testing.T) {
	base, _, _, stop := launch(t)
	defer func() { _ = stop() }()
	for _, tc := range []struct {
		size int
		want int
	}{{MaxHeaderBytes / 2, 200}, {MaxHeaderBytes + 8<<10, http.StatusRequestHeaderFieldsTooLarge}} {
		conn := dialBase(t, base)
		_, err := io.WriteString(conn, "GET /_mock/health HTTP/1.1\r\nHost: x\r\nX-Pad: "+strings.Repeat("a", tc.size)+"\r\nConnection: close\r\n\r\n")
		if err != nil {
			t.Fatal(err)
		}
		resp, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatalf("%d-byte header: %v", tc.size, err)
		}
		_ = resp.Body.Close()
		if resp.StatusCode != tc.want {
			t.Errorf("%d-byte header: status %d, want %d", tc.size, resp.StatusCode, tc.want)
		}
	}
}

func TestTimeoutFlagsValidated(t *testing.T) {
	for _, args := range [][]string{
		{"--read-header-timeout", "0s"}, {"--read-timeout", "-1s"}, {"--write-timeout", "0"},
		{"--idle-timeout", "0s"}, {"--state-interval", "-1s"},
	} {
		err := run(t.Context(), append([]string{"--addr", "127.0.0.1:0"}, args...), io.Discard, io.Discard, nil)
		if err == nil || !strings.Contains(err.Error(), strings.TrimPrefix(args[0], "--")) {
			t.Errorf("%v: err %v, want one naming the flag", args, err)
		}
	}
}

// TestWriteTimeout: a response that takes longer than --write-timeout to produce is not
// delivered (the connection ends), and the mock goes on serving.
func TestWriteTimeout(t *testing.T) {
	base, _, _, stop := launch(t, "--write-timeout", "300ms")
	defer func() { _ = stop() }()
	tok := token(t, base, mockserver.DemoClientID, mockserver.DemoClientSecret)
	resp, err := http.Post(base+"/_mock/faults", "application/json", strings.NewReader(`{"Operation":"getAccountInfo","LatencySeconds":1,"Times":1}`))
	if err != nil {
		t.Fatal(err)
	}
	_ = resp.Body.Close()
	tr := &http.Transport{DisableKeepAlives: true}
	defer tr.CloseIdleConnections()
	req, _ := http.NewRequest("GET", base+"/api/1.0/account/info", nil)
	req.Header.Set("Authorization", "Bearer "+tok)
	start := time.Now()
	resp, err = (&http.Client{Transport: tr, Timeout: 10 * time.Second}).Do(req)
	if err == nil {
		_ = resp.Body.Close()
		t.Fatalf("a response due after the write timeout was delivered: %d", resp.StatusCode)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("the connection ended after %v", d)
	}
	if got := call(t, "GET", base+"/api/1.0/account/info", tok, ""); got != 200 {
		t.Errorf("after the timeout: %d", got)
	}
}
