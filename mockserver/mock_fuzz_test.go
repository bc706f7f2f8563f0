package mockserver_test

// Fuzz targets for the mock's hostile-input surface: the token endpoint, email path
// parameters, the JSON body of every write operation and multipart uploads. Each target
// drives the in-process handler (no sockets, so the fuzzer runs fast) in strict mode and
// asserts properties of every answer, not just the absence of a panic: the status is one
// the spec allows, the body is the right error format, and the response validates against
// the spec. `make fuzz` runs them; the seeds (f.Add and testdata/fuzz/) run in `go test`.

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/xink-go/xink-go/mockserver"
)

// fuzzMock is an in-process mock for fuzzing: strict responses, a demo and a partner token.
type fuzzMock struct {
	srv        *mockserver.Server
	tok        string // demo client, all scopes
	partnerTok string // partner client (managed accounts)
	runs       int
}

const fuzzBase = "http://127.0.0.1:8080"

func newFuzzMock(tb testing.TB, opts ...mockserver.Option) *fuzzMock {
	tb.Helper()
	srv, err := mockserver.New(append([]mockserver.Option{mockserver.WithStrictResponses(true), mockserver.WithBaseURL(fuzzBase)}, opts...)...)
	if err != nil {
		tb.Fatal(err)
	}
	m := &fuzzMock{srv: srv}
	m.tok = m.token(tb, mockserver.DemoClientID, mockserver.DemoClientSecret)
	m.partnerTok = m.token(tb, mockserver.PartnerClientID, mockserver.PartnerClientSecret)
	return m
}

func (m *fuzzMock) token(tb testing.TB, id, secret string) string {
	tb.Helper()
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {id}, "client_secret": {secret}}
	rec := m.do(http.MethodPost, "/OAuth/Token", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, []byte(form.Encode()))
	var body struct {
		AccessToken string `json:"access_token"`
	}
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &body) != nil || body.AccessToken == "" {
		tb.Fatalf("token: %d %s", rec.Code, rec.Body)
	}
	return body.AccessToken
}

// do serves one request in-process. target is a request URI as a client sends it.
func (m *fuzzMock) do(method, target string, h http.Header, body []byte) *httptest.ResponseRecorder {
	u, err := url.ParseRequestURI(target)
	if err != nil {
		panic(fmt.Sprintf("fuzzMock.do: %q: %v", target, err)) // callers parse first
	}
	req := &http.Request{
		Method: method, URL: u, RequestURI: target, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
		Header: h.Clone(), Host: strings.TrimPrefix(fuzzBase, "http://"), RemoteAddr: "127.0.0.1:40000",
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)),
	}
	if req.Header == nil {
		req.Header = http.Header{}
	}
	rec := httptest.NewRecorder()
	m.srv.ServeHTTP(rec, req)
	return rec
}

// begin bounds the mock's data during a long fuzz run (writes pile up otherwise): every
// 500th input starts from the seed again.
func (m *fuzzMock) begin() {
	if m.runs++; m.runs%500 == 0 {
		m.srv.Reset()
	}
}

// step fails on a 5xx and on any response that did not match the spec.
func (m *fuzzMock) step(t *testing.T, what string, rec *httptest.ResponseRecorder) {
	t.Helper()
	if v := m.srv.StrictViolations(); len(v) > 0 {
		t.Fatalf("%s: the response does not match the spec: %s", what, v[len(v)-1])
	}
	if rec.Code >= 500 {
		t.Fatalf("%s: status %d: %s", what, rec.Code, rec.Body)
	}
}

// envelope decodes the Success/Error envelope and checks it agrees with the status.
func checkEnvelope(t *testing.T, what string, rec *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(rec.Body.Bytes(), &m); err != nil {
		t.Fatalf("%s: status %d, body is not a JSON object: %v: %q", what, rec.Code, err, rec.Body)
	}
	ok, isBool := m["Success"].(bool)
	if !isBool {
		t.Fatalf("%s: status %d, no boolean Success: %s", what, rec.Code, rec.Body)
	}
	if ok != (rec.Code >= 200 && rec.Code < 300) {
		t.Fatalf("%s: status %d with Success %v: %s", what, rec.Code, ok, rec.Body)
	}
	if msg, _ := m["Error"].(string); !ok && strings.TrimSpace(msg) == "" {
		t.Fatalf("%s: status %d without an Error text: %s", what, rec.Code, rec.Body)
	}
	if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
		t.Fatalf("%s: Content-Type %q", what, ct)
	}
	return m
}

// rfc6749Errors are the error codes of RFC 6749 section 5.2.
var rfc6749Errors = []string{"invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"}

// FuzzTokenEndpoint: any token request (form body, Content-Type, HTTP Basic credentials or,
// with an empty user, any Authorization header as written) gets
// 200 with a 256-bit bearer token only when it carries a right secret, else 400 or 401 with
// an RFC 6749 error body; never cached, never a 5xx.
func FuzzTokenEndpoint(f *testing.F) {
	f.Add("grant_type=client_credentials", "application/x-www-form-urlencoded", mockserver.DemoClientID, mockserver.DemoClientSecret, true)
	f.Add("grant_type=client_credentials&client_id="+url.QueryEscape(mockserver.DemoClientID)+"&client_secret=xink-mock-secret&scope=employeeread", "application/x-www-form-urlencoded", "", "", false)
	f.Add("grant_type=client_credentials&scope=everything", "application/x-www-form-urlencoded", url.QueryEscape(mockserver.PartnerClientID), mockserver.PartnerClientSecret, true)
	f.Add("grant_type=password&username=a&password=b", "application/x-www-form-urlencoded", "", "", false)
	f.Add("grant_type=client_credentials&client_secret=x", "application/x-www-form-urlencoded", mockserver.DemoClientID, "wrong", true)
	f.Add(`{"grant_type":"client_credentials"}`, "application/json", mockserver.DemoClientID, mockserver.DemoClientSecret, true)
	f.Add("grant_type=client_credentials&%zz", "application/x-www-form-urlencoded; charset=utf-8", "a:b", "", true)
	f.Add("", "", "", "", false)
	f.Add("grant_type=client_credentials", "application/x-www-form-urlencoded", "", "Basic "+base64.StdEncoding.EncodeToString([]byte(mockserver.DemoClientID+":"+mockserver.DemoClientSecret)), true)
	f.Add("grant_type=client_credentials", "application/x-www-form-urlencoded", "", "Basic !!!not-base64", true)
	f.Add("grant_type=client_credentials", "application/x-www-form-urlencoded", "", "Bearer abc", true)
	f.Add("grant_type=client_credentials", "application/x-www-form-urlencoded", "", "Basic "+base64.StdEncoding.EncodeToString([]byte("no-colon")), true)
	m := newFuzzMock(f)
	f.Fuzz(func(t *testing.T, body, contentType, user, pass string, basic bool) {
		m.begin()
		h := http.Header{}
		if contentType != "" {
			h.Set("Content-Type", contentType)
		}
		offered := pass + " " + body
		switch {
		case basic && user == "": // pass is the whole Authorization header, as sent
			h.Set("Authorization", pass)
			if _, b64, ok := strings.Cut(pass, " "); ok {
				if raw, err := base64.StdEncoding.DecodeString(strings.TrimSpace(b64)); err == nil {
					offered += " " + string(raw)
				}
			}
		case basic:
			h.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(user+":"+pass)))
		}
		rec := m.do(http.MethodPost, "/OAuth/Token", h, []byte(body))
		m.step(t, "token", rec)
		if cc := rec.Header().Get("Cache-Control"); cc != "no-store" {
			t.Fatalf("status %d: Cache-Control %q, want no-store", rec.Code, cc)
		}
		var out struct {
			AccessToken string  `json:"access_token"`
			TokenType   string  `json:"token_type"`
			ExpiresIn   int64   `json:"expires_in"`
			Error       string  `json:"error"`
			Description *string `json:"error_description"`
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &out); err != nil {
			t.Fatalf("status %d, body is not JSON: %v: %q", rec.Code, err, rec.Body)
		}
		switch rec.Code {
		case 200:
			raw, err := base64.RawURLEncoding.DecodeString(out.AccessToken)
			if err != nil || len(raw) != 32 || out.TokenType != "bearer" || out.ExpiresIn <= 0 {
				t.Fatalf("200 with a bad token answer: %s", rec.Body)
			}
			if u, err := url.QueryUnescape(offered); err == nil {
				offered += " " + u
			}
			if !strings.Contains(offered, mockserver.DemoClientSecret) && !strings.Contains(offered, mockserver.PartnerClientSecret) {
				t.Fatalf("a token was issued to a request without a right secret (body %q, Basic %q:%q)", body, user, pass)
			}
		case 400, 401:
			if !slices.Contains(rfc6749Errors, out.Error) {
				t.Fatalf("status %d: error %q is not an RFC 6749 code: %s", rec.Code, out.Error, rec.Body)
			}
			if rec.Code == 401 && basic && !strings.HasPrefix(rec.Header().Get("WWW-Authenticate"), "Basic") {
				t.Fatalf("401 to a Basic request without a Basic challenge: %q", rec.Header().Get("WWW-Authenticate"))
			}
		case 413:
			if len(body) <= 1<<20 {
				t.Fatalf("413 for a %d-byte body", len(body))
			}
		default:
			t.Fatalf("status %d: %s", rec.Code, rec.Body)
		}
	})
}

// emailRoutes are the GET operations with an {email} path parameter.
var emailRoutes = []struct{ prefix, suffix string }{
	{"/api/1.0/employee/", ""},
	{"/api/1.0/employee/", "/fields"},
	{"/api/1.0/employee/", "/signatures"},
	{"/api/1.0/rerouting/", ""},
	{"/api/1.0/sharedmailbox/", ""},
}

// FuzzEmailPath: any email in a path, escaped as a client would or sent raw, gets a valid
// envelope with 200, 400 or 404 (405 only when a raw value lands on another route), and a
// found employee is the one asked for.
func FuzzEmailPath(f *testing.F) {
	for _, e := range []string{"zoe.ostergaard@example.com", "ZOE.OSTERGAARD@EXAMPLE.COM", "hanako.tanaka@example.com", "support@example.com",
		"nobody@example.com", "ü@bücher.de", "a+b@example.com", "a/b@example.com", "%2e%2e", "..", "", " ", "a@b@c", "\x00@x", "x@y?z=1", "list", "list/0/1"} {
		f.Add(e, uint8(0), false)
		f.Add(e, uint8(1), true)
	}
	m := newFuzzMock(f)
	f.Fuzz(func(t *testing.T, email string, route uint8, raw bool) {
		m.begin()
		rt := emailRoutes[int(route)%len(emailRoutes)]
		seg := url.PathEscape(email)
		if raw {
			seg = email
		}
		target := rt.prefix + seg + rt.suffix
		if _, err := url.ParseRequestURI(target); err != nil || strings.ContainsAny(target, " \x00\r\n\t") {
			return // net/http would refuse the request line itself
		}
		rec := m.do(http.MethodGet, target, http.Header{"Authorization": {"Bearer " + m.tok}}, nil)
		m.step(t, target, rec)
		switch rec.Code {
		case 200, 400, 404:
		case 405:
			if !raw {
				t.Fatalf("GET %s: 405 for an escaped email", target)
			}
		default:
			t.Fatalf("GET %s: status %d: %s", target, rec.Code, rec.Body)
		}
		body := checkEnvelope(t, "GET "+target, rec)
		if rec.Code == 200 && !raw && rt.prefix == "/api/1.0/employee/" && rt.suffix == "" && strings.Contains(email, "@") {
			emp, _ := body["Employee"].(map[string]any)
			got, _ := emp["Email"].(string)
			if !strings.EqualFold(strings.TrimSpace(got), strings.TrimSpace(email)) {
				t.Fatalf("GET %s returned employee %q", target, got)
			}
		}
	})
}

// writeOps are the operations with a JSON request body, with a path that names seeded data.
var writeOps = []struct{ id, method, path string }{
	{"createEmployee", "POST", "/api/1.0/employee"},
	{"setEmployeeFields", "PUT", "/api/1.0/employee/zoe.ostergaard@example.com/fields"},
	{"createSignature", "POST", "/api/1.0/signature"},
	{"updateSignature", "PUT", "/api/1.0/signature/1"},
	{"assignSignature", "POST", "/api/1.0/signature/1/assign"},
	{"importSignature", "POST", "/api/1.0/signatureimport"},
	{"setRerouting", "PUT", "/api/1.0/rerouting/zoe.ostergaard@example.com"},
	{"createManagedAccount", "POST", "/api/1.0/managedaccounts"},
	{"createSharedMailbox", "POST", "/api/1.0/sharedmailbox"},
	{"updateSharedMailbox", "PUT", "/api/1.0/sharedmailbox/support@example.com"},
}

// FuzzWriteBodies: any JSON body sent to any write operation gets one of the statuses the
// spec declares for it, never a 5xx, with a body that validates in strict mode.
func FuzzWriteBodies(f *testing.F) {
	examples := map[string]string{}
	for _, op := range specOperations(f) {
		if s, ok := op.exampleBody.(string); ok {
			examples[op.id] = s
		}
	}
	for i, op := range writeOps {
		f.Add(uint8(i), []byte(examples[op.id]))
		f.Add(uint8(i), []byte(`{}`))
		f.Add(uint8(i), []byte(`null`))
	}
	f.Add(uint8(0), []byte(`{"Email":"x@example.com","Fields":[{"Name":" ","Value":null}]}`))
	f.Add(uint8(1), []byte(`{"Fields":[{"Name":"JobTitle","Value":"<script>"},{"Name":"Email","Value":"a@b"}]}`))
	f.Add(uint8(3), []byte(`{"PlainText":null}`))
	f.Add(uint8(4), []byte(`{"Emails":["zoe.ostergaard@example.com","nobody@example.com"]}`))
	f.Add(uint8(0), []byte(`{"Email":"\u0000@x","FirstName":1e999}`))
	f.Add(uint8(2), []byte(`[{"Name":"a","Html":"b"}]`))
	declared := map[string][]int{}
	for _, op := range writeOps {
		declared[op.id] = declaredStatusesTB(f, op.id)
	}
	m := newFuzzMock(f)
	f.Fuzz(func(t *testing.T, which uint8, body []byte) {
		m.begin()
		op := writeOps[int(which)%len(writeOps)]
		tok := m.tok
		if op.id == "createManagedAccount" {
			tok = m.partnerTok
		}
		h := http.Header{"Authorization": {"Bearer " + tok}, "Content-Type": {"application/json"}}
		rec := m.do(op.method, op.path, h, body)
		what := fmt.Sprintf("%s %s %q", op.method, op.path, body)
		m.step(t, what, rec)
		if !slices.Contains(declared[op.id], rec.Code) {
			t.Fatalf("%s: status %d is not declared for %s (%v): %s", what, rec.Code, op.id, declared[op.id], rec.Body)
		}
		checkEnvelope(t, what, rec)
		if op.id == "setEmployeeFields" && rec.Code == 200 {
			checkFieldsReadBack(t, m, op.path, body)
		}
	})
}

// checkFieldsReadBack: after a 200 from setEmployeeFields, the employee's fields, the
// employee itself and the list all show the values written (no stale cached answer).
func checkFieldsReadBack(t *testing.T, m *fuzzMock, path string, body []byte) {
	t.Helper()
	var in struct {
		Fields []struct {
			Name  string
			Value *string
		}
	}
	if json.Unmarshal(body, &in) != nil {
		return
	}
	want := map[string]*string{} // lower-case name -> last value written
	for _, f := range in.Fields {
		want[strings.ToLower(strings.TrimSpace(f.Name))] = f.Value
	}
	auth := http.Header{"Authorization": {"Bearer " + m.tok}}
	var fields struct {
		Fields []struct {
			Name  string
			Value *string
		}
	}
	rec := m.do(http.MethodGet, path, auth, nil)
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &fields) != nil {
		t.Fatalf("GET %s after a write: %d %s", path, rec.Code, rec.Body)
	}
	got := map[string]*string{}
	for _, f := range fields.Fields {
		got[strings.ToLower(f.Name)] = f.Value
	}
	emp := strings.TrimSuffix(path, "/fields")
	var one struct{ Employee map[string]any }
	rec = m.do(http.MethodGet, emp, auth, nil)
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &one) != nil {
		t.Fatalf("GET %s after a write: %d %s", emp, rec.Code, rec.Body)
	}
	var list struct{ Employees []map[string]any }
	rec = m.do(http.MethodGet, "/api/1.0/employee/list/0/500", auth, nil)
	if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &list) != nil {
		t.Fatalf("list after a write: %d", rec.Code)
	}
	var listed map[string]any
	for _, e := range list.Employees {
		if strings.EqualFold(fmt.Sprint(e["Email"]), one.Employee["Email"].(string)) {
			listed = e
		}
	}
	str := func(p *string) any {
		if p == nil {
			return nil
		}
		return *p
	}
	for name, v := range want {
		if g, ok := got[name]; !ok || str(g) != str(v) {
			t.Fatalf("field %q: wrote %v, GET fields shows %v (present %v)", name, str(v), str(g), ok)
		}
		for _, core := range []string{"FirstName", "LastName", "DisplayName", "JobTitle", "Department"} {
			if strings.EqualFold(core, name) {
				if one.Employee[core] != str(v) || listed[core] != str(v) {
					t.Fatalf("field %s: wrote %v, GET employee shows %v, the list %v", core, str(v), one.Employee[core], listed[core])
				}
			}
		}
	}
}

func declaredStatusesTB(tb testing.TB, opID string) []int {
	tb.Helper()
	var out []int
	for _, pi := range loadSpec(tb).Paths.Map() {
		for _, op := range pi.Operations() {
			if op.OperationID != opID {
				continue
			}
			for k := range op.Responses.Map() {
				var c int
				if _, err := fmt.Sscanf(k, "%d", &c); err == nil {
					out = append(out, c)
				}
			}
		}
	}
	if len(out) == 0 {
		tb.Fatalf("operation %s has no declared statuses", opID)
	}
	return out
}

const fuzzMaxUpload = 2048

var safeImageFile = regexp.MustCompile(`^[0-9]+-[A-Za-z0-9._-]+$`)

// FuzzUpload: any multipart upload gets 200, 400, 413 or 415 with a valid envelope. The size
// cap and the content sniffing hold exactly, and a stored image is served back byte for byte
// under a URL that cannot escape its folder, with its true type and nosniff.
func FuzzUpload(f *testing.F) {
	png, _ := base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")
	gif := []byte("GIF89a\x01\x00\x01\x00\x00\x00\x00;")
	f.Add(png, "pixel.png", "", "image/png", uint8(0), []byte(nil))
	f.Add(png, "../../etc/passwd.png", "..\\..\\x.png", "image/png", uint8(0), []byte(nil))
	f.Add(gif, "a.gif", "<script>.gif", "text/html", uint8(1), []byte(nil))
	f.Add([]byte("<html><script>alert(1)</script>"), "x.png", "x.png", "image/png", uint8(0), []byte(nil))
	f.Add(bytes.Repeat(png, 40), "big.png", "", "image/png", uint8(0), []byte(nil))
	f.Add([]byte{}, "empty.png", "", "image/png", uint8(2), []byte(nil))
	f.Add(png, "", "", "", uint8(3), []byte("--XB\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.png\"\r\n\r\n\x89PNG\r\n\x1a\n\r\n--XB--\r\n"))
	f.Add(png, "", "", "", uint8(3), []byte("--XB\r\nContent-Disposition: form-data; name=\"file\"\r\n\r\nGIF89a--XB"))
	m := newFuzzMock(f, mockserver.WithMaxUploadBytes(fuzzMaxUpload))
	f.Fuzz(func(t *testing.T, data []byte, fileName, name, partType string, shape uint8, raw []byte) {
		m.begin()
		var body bytes.Buffer
		contentType := "multipart/form-data; boundary=XB"
		structured := shape%4 != 3
		if structured {
			mw := multipart.NewWriter(&body)
			if err := mw.SetBoundary("XB"); err != nil {
				t.Fatal(err)
			}
			hdr := textproto.MIMEHeader{}
			hdr.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, fileName))
			if partType != "" {
				hdr.Set("Content-Type", partType)
			}
			pw, err := mw.CreatePart(hdr)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = pw.Write(data)
			if name != "" {
				_ = mw.WriteField("Name", name)
			}
			switch shape % 4 {
			case 1:
				_ = mw.WriteField("Other", "x") // an unknown part
			case 2:
				pw, _ := mw.CreateFormFile("file", "second.png") // a second file part
				_, _ = pw.Write(data)
			}
			_ = mw.Close()
		} else {
			body.Write(raw)
		}
		h := http.Header{"Authorization": {"Bearer " + m.tok}, "Content-Type": {contentType}}
		rec := m.do(http.MethodPost, "/api/1.0/image/upload", h, body.Bytes())
		what := fmt.Sprintf("upload (shape %d, %d bytes, name %q)", shape%4, len(data), name)
		m.step(t, what, rec)
		env := checkEnvelope(t, what, rec)
		sniffed := http.DetectContentType(data)
		isImage := slices.Contains([]string{"image/png", "image/jpeg", "image/gif"}, sniffed)
		switch rec.Code {
		case 200, 400, 413, 415:
		default:
			t.Fatalf("%s: status %d: %s", what, rec.Code, rec.Body)
		}
		if structured && shape%4 == 0 && len(name) <= 1024 && utf8.ValidString(name) && printableHeader(partType) {
			want := 200
			switch {
			case len(data) == 0:
				want = 400
			case len(data) > fuzzMaxUpload:
				want = 413
			case !isImage:
				want = 415
			}
			if rec.Code != want && !(rec.Code == 413 && body.Len() > fuzzMaxUpload+64<<10) {
				t.Fatalf("%s: status %d, want %d: %s", what, rec.Code, want, rec.Body)
			}
		}
		if rec.Code != 200 {
			return
		}
		img, _ := env["Image"].(map[string]any)
		u, _ := img["Url"].(string)
		ct, _ := img["ContentType"].(string)
		if structured && ct != sniffed {
			t.Fatalf("%s: stored as %q, the bytes are %q", what, ct, sniffed)
		}
		rest, ok := strings.CutPrefix(u, fuzzBase+mockserver.ImgPath+"/Images/Get/")
		folder, file, _ := strings.Cut(rest, "/")
		if !ok || folder == "" || !safeImageFile.MatchString(file) || strings.Contains(file, "..") {
			t.Fatalf("%s: image URL %q can escape its folder", what, u)
		}
		got := m.do(http.MethodGet, strings.TrimPrefix(u, fuzzBase), nil, nil)
		if got.Code != 200 || got.Header().Get("Content-Type") != ct || got.Header().Get("X-Content-Type-Options") != "nosniff" {
			t.Fatalf("%s: GET %s: %d, type %q, nosniff %q", what, u, got.Code, got.Header().Get("Content-Type"), got.Header().Get("X-Content-Type-Options"))
		}
		if structured && !bytes.Equal(got.Body.Bytes(), data) {
			t.Fatalf("%s: served %d bytes, uploaded %d", what, got.Body.Len(), len(data))
		}
	})
}

// printableHeader reports whether v can be a MIME header value as written (no control bytes).
func printableHeader(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; (c < 0x20 && c != '\t') || c == 0x7f {
			return false
		}
	}
	return true
}
