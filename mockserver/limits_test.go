package mockserver_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"mime/multipart"
	"net/http"
	"net/http/httptrace"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

// rawUpload posts a multipart body built by build.
func rawUpload(t *testing.T, m *mocktest.Mock, tok string, build func(mw *multipart.Writer)) reply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	build(mw)
	_ = mw.Close()
	req, _ := http.NewRequest("POST", m.URL+"/api/1.0/image/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	return send(t, req)
}

func filePart(mw *multipart.Writer, data []byte) {
	w, _ := mw.CreateFormFile("file", "a.png")
	_, _ = w.Write(data)
}

// TestUploadPartCaps: each multipart cap answers with its own status and names the part.
func TestUploadPartCaps(t *testing.T) {
	m, tok := start(t, mockserver.WithMaxUploadBytes(1024))
	for _, tc := range []struct {
		name  string
		build func(mw *multipart.Writer)
		want  int
		text  string
	}{
		{"file over the cap", func(mw *multipart.Writer) { filePart(mw, append(bytes.Clone(tinyPNG), make([]byte, 1024)...)) }, 413, "larger than 1024 bytes"},
		{"body far over the cap", func(mw *multipart.Writer) { filePart(mw, make([]byte, 200<<10)) }, 413, "larger than"},
		{"Name over 1024 bytes", func(mw *multipart.Writer) {
			filePart(mw, tinyPNG)
			_ = mw.WriteField("Name", strings.Repeat("n", 1025))
		}, 400, `"Name": longer than 1024 bytes`},
		{"two Name parts", func(mw *multipart.Writer) {
			filePart(mw, tinyPNG)
			_ = mw.WriteField("Name", "a.png")
			_ = mw.WriteField("Name", "b.png")
		}, 400, "more than one Name part"},
		{"Name not UTF-8", func(mw *multipart.Writer) { filePart(mw, tinyPNG); _ = mw.WriteField("Name", "a\xff.png") }, 400, "not UTF-8"},
		{"two file parts", func(mw *multipart.Writer) { filePart(mw, tinyPNG); filePart(mw, tinyPNG) }, 400, "more than one file part"},
		{"an unknown part", func(mw *multipart.Writer) { filePart(mw, tinyPNG); _ = mw.WriteField("Extra", "x") }, 400, `Extra`},
		{"not an image", func(mw *multipart.Writer) { filePart(mw, []byte("<html><script>alert(1)</script>")) }, 415, "not a PNG, JPEG or GIF"},
		{"within every cap", func(mw *multipart.Writer) {
			filePart(mw, tinyPNG)
			_ = mw.WriteField("Name", strings.Repeat("n", 1024))
		}, 200, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := rawUpload(t, m, tok, tc.build)
			wantStatus(t, r, tc.want)
			if tc.want != 200 && !strings.Contains(r.errText(t), tc.text) {
				t.Errorf("Error %q does not say %q", r.errText(t), tc.text)
			}
		})
	}
}

// TestUncleanPathsGetEnvelopes: dot segments, empty segments and an escaped "/" as a whole
// path parameter get a 404 envelope, never a redirect or ServeMux's text/plain page
// (regressions found by FuzzEmailPath).
func TestUncleanPathsGetEnvelopes(t *testing.T) {
	m, tok := start(t)
	hc := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	for _, p := range []string{
		"/api/1.0/employee/..", "/api/1.0/employee/../fields", "/api/1.0/employee/.", "/api/1.0/employee/%2F",
		"/api/1.0/employee/%2F/fields", "/api/1.0/rerouting/%2F", "/api/1.0//employee/list", "/api/1.0/./employee/list",
		"/api/1.0/employee/list/0/1/..",
	} {
		req := mustReq(t, "GET", m.URL+p)
		req.URL.RawPath = p // keep the path exactly as written
		req.Header.Set("Authorization", "Bearer "+tok)
		resp, err := hc.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		r := reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
		if r.Status != 404 || !strings.HasPrefix(r.Header.Get("Content-Type"), "application/json") {
			t.Errorf("GET %s: %d %q: %s", p, r.Status, r.Header.Get("Content-Type"), b)
			continue
		}
		if r.errText(t) == "" {
			t.Errorf("GET %s: no Error text", p)
		}
	}
	// An escaped dot is a value, not a segment.
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/%2E%2E", nil), 404)
}

// lockedBuffer is a goroutine-safe log sink.
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

// TestPanicKeepsTheConnection: a handler panic is a 500 envelope and an error log line, and
// the same keep-alive connection serves the next request (strict mode and not).
func TestPanicKeepsTheConnection(t *testing.T) {
	for _, strict := range []bool{false, true} {
		t.Run(fmt.Sprintf("strict=%v", strict), func(t *testing.T) {
			logs := &lockedBuffer{}
			var explode sync.Map
			clock := func() time.Time {
				if _, ok := explode.Load("on"); ok {
					panic("clock exploded")
				}
				return time.Now()
			}
			m := mocktest.Start(t, mockserver.WithClock(clock), mockserver.WithStrictResponses(strict),
				mockserver.WithLogger(slog.New(slog.NewTextHandler(logs, nil))))
			tok := tokenFor(t, m)
			explode.Store("on", true)
			tr := &http.Transport{}
			defer tr.CloseIdleConnections()
			hc := &http.Client{Transport: tr}
			reused := 0
			for i := range 3 {
				form := "grant_type=client_credentials&client_id=" + m.ClientID + "&client_secret=" + m.ClientSecret
				trace := &httptrace.ClientTrace{GotConn: func(ci httptrace.GotConnInfo) {
					if ci.Reused {
						reused++
					}
				}}
				tctx := httptrace.WithClientTrace(context.Background(), trace)
				req, _ := http.NewRequestWithContext(tctx, "POST", m.URL+"/OAuth/Token", strings.NewReader(form))
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
				if i == 1 { // an API operation (the token check reads the clock)
					req, _ = http.NewRequestWithContext(tctx, "GET", m.URL+"/api/1.0/account/info", nil)
					req.Header.Set("Authorization", "Bearer "+tok)
				}
				resp, err := hc.Do(req)
				if err != nil {
					t.Fatalf("request %d: the connection was dropped: %v", i, err)
				}
				b, _ := io.ReadAll(resp.Body)
				_ = resp.Body.Close()
				r := reply{Status: resp.StatusCode, Header: resp.Header, Body: b}
				wantStatus(t, r, 500)
				if !strings.Contains(r.errText(t), "panicked") {
					t.Errorf("body %s", b)
				}
			}
			if reused != 2 {
				t.Errorf("%d of 2 follow-up requests reused the connection", reused)
			}
			if n := strings.Count(logs.String(), `level=ERROR msg="panic in handler"`); n != 3 {
				t.Errorf("%d panic log lines, want 3:\n%s", n, logs.String())
			}
			if strings.Contains(logs.String(), m.ClientSecret) {
				t.Error("the log holds the client secret")
			}
			explode.Delete("on")
		})
	}
}

// TestTokensAre256BitRandom: every token is 32 random bytes, base64url without padding,
// and no two are alike.
func TestTokensAre256BitRandom(t *testing.T) {
	m := mocktest.Start(t)
	seen := map[string]bool{}
	ones := 0
	const n = 200
	for range n {
		tok := tokenFor(t, m)
		raw, err := base64.RawURLEncoding.DecodeString(tok)
		if err != nil || len(raw) != 32 {
			t.Fatalf("token %q is not 32 bytes of base64url: %v", tok, err)
		}
		if seen[tok] {
			t.Fatalf("token %q issued twice", tok)
		}
		seen[tok] = true
		for _, b := range raw {
			for ; b != 0; b &= b - 1 {
				ones++
			}
		}
	}
	// 51200 random bits: the share of ones is 0.5 +- 0.01 with overwhelming probability
	// (about 4.5 standard deviations); a constant or counter-like token fails this.
	if share := float64(ones) / (n * 256); share < 0.49 || share > 0.51 {
		t.Errorf("share of one bits %.4f, want about 0.5", share)
	}
}

// TestHostileImagePaths: nothing but a stored image's exact URL serves bytes; traversal,
// encoded separators and other accounts' folders get a 404 envelope.
func TestHostileImagePaths(t *testing.T) {
	m, tok := start(t)
	r := upload(t, m, tok, "a.png", "image/png", tinyPNG, "")
	wantStatus(t, r, 200)
	u := r.json(t)["Image"].(map[string]any)["Url"].(string)
	rest := strings.TrimPrefix(u, m.ImgRoot)
	folder := strings.Split(rest, "/")[3]
	file := strings.Split(rest, "/")[4]
	for _, p := range []string{
		"/Images/Get/" + folder + "/../../_mock/state", "/Images/Get/" + folder + "/..%2F..%2F_mock%2Fstate",
		"/Images/Get/" + folder + "/%2e%2e/" + file, "/Images/Get/" + folder + "/" + file + "/x",
		"/Images/Get/" + folder + "/" + strings.Replace(file, "-", "-..%2F", 1), "/Images/Get/00000000/" + file,
		"/Images/Get/" + folder + "/" + file + "%00.html", "/Images/Get/" + folder + "%5C" + file,
		"/Images/Get//" + file, "/Images/Get/" + folder + "/",
	} {
		got := send(t, mustReq(t, "GET", m.ImgRoot+p))
		if got.Status != 404 || bytes.Contains(got.Body, tinyPNG[:8]) || bytes.Contains(got.Body, []byte("Tokens")) {
			t.Errorf("GET <ImgRoot>%s: %d %q", p, got.Status, got.Body)
		}
	}
	got := send(t, mustReq(t, "GET", u))
	if got.Status != 200 || !bytes.Equal(got.Body, tinyPNG) || got.Header.Get("Content-Type") != "image/png" || got.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("the image itself: %d, %q, nosniff %q", got.Status, got.Header.Get("Content-Type"), got.Header.Get("X-Content-Type-Options"))
	}
}
