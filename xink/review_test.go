package xink

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// Tests for the newcomer review's findings: body limits, missing payloads, the employee
// walk's guards, unset field values, Retry-After's cap, token checks, error prefixes.

// cannedTransport answers the token request with a good token and every other request with
// the given status and body (the same for all), counting what the client read from bodies.
type cannedTransport struct {
	status int
	body   func() io.Reader
	header http.Header

	read   atomic.Int64
	mu     sync.Mutex
	seen   []string // "METHOD path" of API requests
	closed atomic.Int32
}

type countingBody struct {
	r  io.Reader
	ct *cannedTransport
}

func (b *countingBody) Read(p []byte) (int, error) {
	n, err := b.r.Read(p)
	b.ct.read.Add(int64(n))
	return n, err
}

func (b *countingBody) Close() error { b.ct.closed.Add(1); return nil }

func (ct *cannedTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		_ = req.Body.Close()
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if req.URL.Path == "/OAuth/Token" {
		return &http.Response{StatusCode: 200, Header: h, Request: req,
			Body: io.NopCloser(strings.NewReader(`{"access_token":"good","token_type":"bearer","expires_in":7200}`))}, nil
	}
	ct.mu.Lock()
	ct.seen = append(ct.seen, req.Method+" "+req.URL.Path)
	ct.mu.Unlock()
	for k, v := range ct.header {
		h[k] = v
	}
	return &http.Response{StatusCode: ct.status, Header: h, Request: req, ContentLength: -1,
		Body: &countingBody{r: ct.body(), ct: ct}}, nil
}

func (ct *cannedTransport) requests() []string {
	ct.mu.Lock()
	defer ct.mu.Unlock()
	return append([]string(nil), ct.seen...)
}

func cannedClient(t *testing.T, ct *cannedTransport, opts ...Option) *Client {
	t.Helper()
	base := []Option{WithCredentials("id@SRV", "s"), WithAuthURL("http://127.0.0.1:1"),
		WithAPIRoot("http://127.0.0.1:2/api-root"), WithHTTPClient(&http.Client{Transport: ct}),
		WithRetryPolicy(RetryPolicy{MaxAttempts: 1}), withSleep((&sleepRecorder{}).sleep)}
	c, err := NewClient(context.Background(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// zeros is an endless reader of a repeated byte.
type repeatReader byte

func (r repeatReader) Read(p []byte) (int, error) {
	for i := range p {
		p[i] = byte(r)
	}
	return len(p), nil
}

// A valid JSON employee larger than 32 MiB, streamed by a real server, is refused with an
// error that names the limit, not cut off into "unexpected end of JSON input".
func TestReview_ResponseBodyOverLimitSaysSo(t *testing.T) {
	f := newFakeXink(t)
	const size = 40 << 20
	f.handleAPI("GET /api/1.0/employee/{email}", func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		head := `{"Success":true,"Employee":{"Email":"a@x.com","DisplayName":"`
		tail := `"}}`
		if _, err := io.WriteString(w, head); err != nil {
			return
		}
		_, _ = io.Copy(w, io.LimitReader(repeatReader('a'), int64(size-len(head)-len(tail))))
		_, _ = io.WriteString(w, tail)
	})
	c := f.client(t)
	e, err := c.GetEmployee(context.Background(), "a@x.com")
	if e != nil || !errors.Is(err, ErrResponseTooLarge) {
		t.Fatalf("GetEmployee on a %d-byte body: %v, %v; want ErrResponseTooLarge", size, e, err)
	}
	if got, want := err.Error(), "xink: getEmployee: response body larger than 32 MiB (MaxResponseBytes)"; got != want {
		t.Fatalf("error %q, want %q", got, want)
	}
}

// The limit is exact: MaxResponseBytes is read, one byte more is refused.
func TestReview_ReadBodyBoundary(t *testing.T) {
	for _, tc := range []struct {
		n       int
		wantErr bool
	}{{MaxResponseBytes, false}, {MaxResponseBytes + 1, true}} {
		resp := &http.Response{StatusCode: 200, Body: io.NopCloser(io.LimitReader(repeatReader(' '), int64(tc.n)))}
		b, err := readBody(resp)
		if tc.wantErr != errors.Is(err, ErrResponseTooLarge) || (!tc.wantErr && len(b) != tc.n) {
			t.Errorf("%d bytes: got %d bytes, err %v", tc.n, len(b), err)
		}
	}
}

// A 100 MiB error body costs the client what the *Error keeps (64 KiB) plus a bounded
// drain, not tens of MiB.
func TestReview_ErrorBodyReadIsBounded(t *testing.T) {
	for _, status := range []int{500, 404, 429} {
		ct := &cannedTransport{status: status, body: func() io.Reader {
			return io.MultiReader(strings.NewReader(`{"Success":false,"Error":"`), io.LimitReader(repeatReader('x'), 100<<20))
		}}
		c := cannedClient(t, ct)
		_, err := c.GetEmployee(context.Background(), "a@x.com")
		var xe *Error
		if !errors.As(err, &xe) || xe.StatusCode != status {
			t.Fatalf("status %d: err %v", status, err)
		}
		if len(xe.Body) != maxErrorBody {
			t.Errorf("status %d: kept %d bytes, want %d", status, len(xe.Body), maxErrorBody)
		}
		if got, most := ct.read.Load(), int64(maxErrorBody+maxErrorDrain); got > most {
			t.Errorf("status %d: read %d bytes of the error body, want at most %d", status, got, most)
		}
		if ct.closed.Load() != 1 {
			t.Errorf("status %d: body closed %d times", status, ct.closed.Load())
		}
	}
}

// Every operation whose 2xx answer lacks its payload fails with an error naming it; a list
// sent as JSON null is an empty list.
func TestReview_MissingPayloadIsAnError(t *testing.T) {
	ctx := context.Background()
	const email = "a@x.com"
	ops := []struct {
		name, what string
		call       func(*Client) (any, error)
		list       bool
	}{
		{"ListEmployees", "Employees", func(c *Client) (any, error) { return c.ListEmployees(ctx) }, true},
		{"ListEmployeesPage", "Employees", func(c *Client) (any, error) { return c.ListEmployeesPage(ctx, 0, 10) }, true},
		{"CreateEmployee", "Employee", func(c *Client) (any, error) {
			return c.CreateEmployee(ctx, CreateEmployeeRequest{Email: email})
		}, false},
		{"GetEmployee", "Employee", func(c *Client) (any, error) { return c.GetEmployee(ctx, email) }, false},
		{"GetEmployeeFields", "Fields", func(c *Client) (any, error) { return c.GetEmployeeFields(ctx, email) }, true},
		{"SetEmployeeFields", "Fields", func(c *Client) (any, error) {
			return c.SetEmployeeFields(ctx, email, FieldValue{Name: "JobTitle", Value: Value("CTO")})
		}, true},
		{"GetEmployeeSignatures", "Signatures", func(c *Client) (any, error) { return c.GetEmployeeSignatures(ctx, email) }, true},
		{"ListImages", "Images", func(c *Client) (any, error) { return c.ListImages(ctx) }, true},
		{"UploadImage", "Image", func(c *Client) (any, error) {
			return c.UploadImage(ctx, "a.png", bytes.NewReader(tinyPNG))
		}, false},
		{"ListSignatures", "Signatures", func(c *Client) (any, error) { return c.ListSignatures(ctx) }, true},
		{"CreateSignature", "Signature", func(c *Client) (any, error) {
			return c.CreateSignature(ctx, SignatureRequest{Name: "n", Html: "<p>h</p>"})
		}, false},
		{"GetSignature", "Signature", func(c *Client) (any, error) { return c.GetSignature(ctx, 1) }, false},
		{"UpdateSignature", "Signature", func(c *Client) (any, error) {
			return c.UpdateSignature(ctx, 1, UpdateSignatureRequest{Name: Ptr("n")})
		}, false},
		{"ImportSignature", "Signature", func(c *Client) (any, error) {
			return c.ImportSignature(ctx, ImportSignatureRequest{Name: "n", Html: "<p>h</p>"})
		}, false},
		{"ListRerouting", "Rerouting", func(c *Client) (any, error) { return c.ListRerouting(ctx) }, true},
		{"GetRerouting", "Rerouting", func(c *Client) (any, error) { return c.GetRerouting(ctx, email) }, false},
		{"SetRerouting", "Rerouting", func(c *Client) (any, error) {
			return c.SetRerouting(ctx, email, SetReroutingRequest{})
		}, false},
		{"ListManagedAccounts", "Accounts", func(c *Client) (any, error) { return c.ListManagedAccounts(ctx) }, true},
		{"GetManagedAccount", "Account", func(c *Client) (any, error) { return c.GetManagedAccount(ctx, "acc-1") }, false},
		{"CreateManagedAccount", "Account", func(c *Client) (any, error) {
			return c.CreateManagedAccount(ctx, CreateManagedAccountRequest{Name: "n", DataCenterID: "EU"})
		}, false},
		{"ListSharedMailboxes", "Mailboxes", func(c *Client) (any, error) { return c.ListSharedMailboxes(ctx) }, true},
		{"GetSharedMailbox", "Mailbox", func(c *Client) (any, error) { return c.GetSharedMailbox(ctx, email) }, false},
		{"CreateSharedMailbox", "Mailbox", func(c *Client) (any, error) {
			return c.CreateSharedMailbox(ctx, CreateSharedMailboxRequest{Email: email})
		}, false},
		{"UpdateSharedMailbox", "Mailbox", func(c *Client) (any, error) {
			return c.UpdateSharedMailbox(ctx, email, UpdateSharedMailboxRequest{DisplayName: Value("d")})
		}, false},
	}
	absent := &cannedTransport{status: 200, body: func() io.Reader { return strings.NewReader(`{"Success":true}`) }}
	cAbsent := cannedClient(t, absent)
	nullBody := map[string]any{"Success": true}
	for _, op := range ops {
		nullBody[op.what] = nil
	}
	nb, _ := json.Marshal(nullBody)
	null := &cannedTransport{status: 200, body: func() io.Reader { return bytes.NewReader(nb) }}
	cNull := cannedClient(t, null)
	for _, op := range ops {
		t.Run(op.name, func(t *testing.T) {
			before := len(absent.requests())
			_, err := op.call(cAbsent)
			if len(absent.requests()) != before+1 {
				t.Fatalf("the call did not reach the server: %v", err)
			}
			if want := "the response has no " + op.what; err == nil || !strings.Contains(err.Error(), want) {
				t.Errorf(`{"Success":true}: err %v, want %q`, err, want)
			}
			if err != nil && strings.Count(err.Error(), "xink:") != 1 {
				t.Errorf("err %q repeats the prefix", err)
			}
			_, err = op.call(cNull)
			if op.list && err != nil {
				t.Errorf("%s: null: err %v, want an empty list", nb, err)
			}
			if !op.list && (err == nil || !strings.Contains(err.Error(), "the response has no "+op.what)) {
				t.Errorf("%s: null %s: err %v", nb, op.what, err)
			}
		})
	}
}

// employeeServer answers the employee list with page(offset, limit), counting requests.
func employeeServer(t *testing.T, page func(offset, limit int) map[string]any) (*Client, *atomic.Int32) {
	f := newFakeXink(t)
	var hits atomic.Int32
	f.handleAPI("GET /api/1.0/employee/list/{offset}/{limit}", func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		off, _ := strconv.Atoi(r.PathValue("offset"))
		lim, _ := strconv.Atoi(r.PathValue("limit"))
		writeJSON(w, 200, page(off, lim))
	})
	return f.client(t, WithPageSize(2)), &hits
}

func emp(i int) map[string]any { return map[string]any{"Email": "e" + strconv.Itoa(i) + "@x.com"} }

// walk runs the iterator, failing the test if it yields more than most items.
func walk(t *testing.T, c *Client, most int) (n int, err error) {
	t.Helper()
	for _, e := range c.Employees(context.Background()) {
		if e != nil {
			return n, e
		}
		if n++; n > most {
			t.Fatalf("the walk yielded more than %d employees", most)
		}
	}
	return n, nil
}

func TestReview_EmployeesIteratorGuards(t *testing.T) {
	for _, tc := range []struct {
		name    string
		page    func(offset, limit int) map[string]any
		items   int
		wantErr string
	}{
		{"offset ignored, Offset echoed as 0", func(int, int) map[string]any {
			return map[string]any{"Success": true, "Offset": 0, "Total": 1000000, "Employees": []any{emp(0)}}
		}, 1, "asked for offset 1, the server answered with Offset 0"},
		{"offset ignored, no Offset", func(int, int) map[string]any {
			return map[string]any{"Success": true, "Total": 1000000, "Employees": []any{emp(0), emp(1)}}
		}, 2, "repeats the previous page"},
		{"empty page before Total", func(off, _ int) map[string]any {
			if off >= 4 {
				return map[string]any{"Success": true, "Offset": off, "Total": 10, "Employees": []any{}}
			}
			return map[string]any{"Success": true, "Offset": off, "Total": 10, "Employees": []any{emp(off), emp(off + 1)}}
		}, 4, "empty page at offset 4 although Total is 10"},
		{"page larger than asked", func(off, _ int) map[string]any {
			return map[string]any{"Success": true, "Offset": off, "Total": 10, "Employees": []any{emp(off), emp(off + 1), emp(off + 2)}}
		}, 0, "asked for at most 2 employees, the server returned 3"},
		{"Total grows without end", func(off, _ int) map[string]any {
			return map[string]any{"Success": true, "Offset": off, "Total": off + 3, "Employees": []any{emp(off), emp(off + 1)}}
		}, 8, "fetched 5 pages, more than Total 3 allows"},
		{"honest server", func(off, lim int) map[string]any {
			var es []any
			for i := off; i < 5 && i < off+lim; i++ {
				es = append(es, emp(i))
			}
			return map[string]any{"Success": true, "Offset": off, "Total": 5, "Employees": es}
		}, 5, ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, _ := employeeServer(t, tc.page)
			n, err := walk(t, c, 20)
			if n != tc.items {
				t.Errorf("yielded %d employees, want %d", n, tc.items)
			}
			if tc.wantErr == "" {
				if err != nil {
					t.Fatal(err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tc.wantErr) || !strings.HasPrefix(err.Error(), "xink: listEmployeesPage: ") {
				t.Fatalf("err %v, want %q", err, tc.wantErr)
			}
		})
	}
}

// A FieldValue whose Value was never set would clear the field on the server; it is refused
// before sending. Null and Value are sent as they are.
func TestReview_UnsetFieldValueIsRefused(t *testing.T) {
	f := newFakeXink(t)
	var bodies []string
	var mu sync.Mutex
	record := func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		writeJSON(w, 200, map[string]any{"Success": true, "Fields": []any{}, "Employee": map[string]any{"Email": "a@x.com"}})
	}
	f.handleAPI("PUT /api/1.0/employee/{email}/fields", record)
	f.handleAPI("POST /api/1.0/employee", record)
	c := f.client(t)
	ctx := context.Background()

	_, err := c.SetEmployeeFields(ctx, "a@x.com", FieldValue{Name: "JobTitle", Value: Value("CTO")}, FieldValue{Name: "Department"})
	var ae *ArgumentError
	if !errors.As(err, &ae) || ae.Field != "fields[1].Value" || !errors.Is(err, ErrInvalidArgument) {
		t.Fatalf("SetEmployeeFields with an unset Value: %v", err)
	}
	for _, want := range []string{`"Department"`, "xink.Null[string]()", "xink.Value(v)"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not mention %s", err, want)
		}
	}
	_, err = c.CreateEmployee(ctx, CreateEmployeeRequest{Email: "a@x.com", Fields: []FieldValue{{Name: "Phone"}}})
	if !errors.As(err, &ae) || ae.Field != "Fields[0].Value" {
		t.Fatalf("CreateEmployee with an unset Value: %v", err)
	}
	if n := f.apiHits.Load(); n != 0 {
		t.Fatalf("%d requests reached the server", n)
	}

	if _, err := c.SetEmployeeFields(ctx, "a@x.com", FieldValue{Name: "JobTitle", Value: Value("CTO")}, FieldValue{Name: "Department", Value: Null[string]()}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.CreateEmployee(ctx, CreateEmployeeRequest{Email: "a@x.com", Fields: []FieldValue{{Name: "Phone", Value: Null[string]()}}}); err != nil {
		t.Fatal(err)
	}
	mu.Lock()
	defer mu.Unlock()
	if len(bodies) != 2 || !strings.Contains(bodies[0], `{"Name":"Department","Value":null}`) ||
		!strings.Contains(bodies[0], `{"Name":"JobTitle","Value":"CTO"}`) || !strings.Contains(bodies[1], `{"Name":"Phone","Value":null}`) {
		t.Fatalf("bodies sent: %q", bodies)
	}
}

// Error.RetryAfter is documented as capped at 24 hours, and the client does not sleep it.
func TestReview_RetryAfterCapMatchesDoc(t *testing.T) {
	for _, ra := range []string{"172800", time.Now().Add(72 * time.Hour).UTC().Format(http.TimeFormat)} {
		ct := &cannedTransport{status: 429, header: http.Header{"Retry-After": {ra}},
			body: func() io.Reader { return strings.NewReader(`{"Success":false,"Error":"slow down"}`) }}
		sleeps := &sleepRecorder{}
		c := cannedClient(t, ct, WithRetryPolicy(DefaultRetryPolicy()), withSleep(sleeps.sleep))
		_, err := c.GetEmployee(context.Background(), "a@x.com")
		var xe *Error
		if !errors.As(err, &xe) || !errors.Is(err, ErrRateLimited) || xe.RetryAfter != 24*time.Hour {
			t.Fatalf("Retry-After %s: %v (RetryAfter %v), want 24h", ra, err, xe)
		}
		if len(sleeps.got()) != 0 || len(ct.requests()) != 1 {
			t.Fatalf("Retry-After %s: slept %v over %d requests", ra, sleeps.got(), len(ct.requests()))
		}
	}
}

// An error that wraps a xink sentinel names the package once.
func TestReview_ErrorsDoNotRepeatThePrefix(t *testing.T) {
	f, _ := uploadServer(t)
	c := f.client(t)
	big := append(append([]byte(nil), tinyPNG...), make([]byte, 100)...)
	for name, r := range map[string]io.Reader{"known length": bytes.NewReader(big), "streamed": onlyReader{bytes.NewReader(big)}} {
		_, err := c.UploadImage(context.Background(), "a.png", r, WithMaxImageBytes(int64(len(tinyPNG))))
		if !errors.Is(err, ErrTooLarge) {
			t.Fatalf("%s: %v", name, err)
		}
		want := fmt.Sprintf("xink: uploadImage: upload too large: the image is larger than %d bytes", len(tinyPNG))
		if err.Error() != want {
			t.Errorf("%s: %q, want %q", name, err, want)
		}
	}
}
