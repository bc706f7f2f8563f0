package openapi_test

// Tests of the generated code (generated/xinkapi and generated/xinkserver)
// against the spec: one client method per operation, a client package free of
// server code, path parameters that survive the round trip, and a token
// request that is form-urlencoded.

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os/exec"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/xink-go/xink-go/generated/xinkapi"
	"github.com/xink-go/xink-go/generated/xinkserver"
)

func exported(operationID string) string {
	return strings.ToUpper(operationID[:1]) + operationID[1:]
}

func TestGeneratedClientHasEveryOperation(t *testing.T) {
	client := reflect.TypeFor[*xinkapi.ClientWithResponses]()
	count := 0
	for _, o := range operations(loadSpec(t)) {
		name := exported(o.Op.OperationID)
		candidates := []string{name + "WithResponse", name + "WithBodyWithResponse"}
		var m reflect.Method
		found := false
		for _, c := range candidates {
			if m, found = client.MethodByName(c); found {
				break
			}
		}
		if !found {
			t.Errorf("generated client has no method for %s (looked for %q)", o.Op.OperationID, candidates)
			continue
		}
		count++
		// Typed: the first argument is a context, the result a typed *XxxResponse.
		if m.Type.NumIn() < 2 || m.Type.In(1) != reflect.TypeFor[context.Context]() {
			t.Errorf("%s: first parameter is not a context.Context", m.Name)
		}
		if out := m.Type.Out(0); out.Kind() != reflect.Pointer || out.Elem().Name() != name+"Response" {
			t.Errorf("%s returns %v, want *%sResponse", m.Name, out, name)
		}
	}
	if count < 32 {
		t.Errorf("generated client has %d operation methods, want at least 32", count)
	}
	// The strict server must have one method per operation too.
	server := reflect.TypeFor[xinkserver.StrictServerInterface]()
	if server.NumMethod() != count {
		t.Errorf("StrictServerInterface has %d methods, client %d", server.NumMethod(), count)
	}
}

// TestClientPackageHasNoServerDeps: importing the client must not pull in the
// server code, kin-openapi or the validation middleware (pitfalls rows 22, 23).
func TestClientPackageHasNoServerDeps(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Fatalf("the go command is needed for this test: %v", err)
	}
	out, err := exec.Command("go", "list", "-deps", "github.com/xink-go/xink-go/generated/xinkapi").CombinedOutput()
	if err != nil {
		t.Fatalf("go list -deps: %v\n%s", err, out)
	}
	deps := strings.Fields(string(out))
	if len(deps) < 10 {
		t.Fatalf("go list -deps printed only %d packages: %q", len(deps), deps)
	}
	banned := []string{"github.com/getkin/kin-openapi", "github.com/xink-go/xink-go/generated/xinkserver",
		"github.com/oapi-codegen/nethttp-middleware", "github.com/gorilla/mux"}
	for _, dep := range deps {
		for _, b := range banned {
			if strings.HasPrefix(dep, b) {
				t.Errorf("the client package depends on %s", dep)
			}
		}
	}
}

// echoServer implements only the operations these tests call; any other
// method would panic through the nil embedded interface, which the strict
// handler does not recover, so the test would fail loudly.
type echoServer struct {
	xinkserver.StrictServerInterface

	mu        sync.Mutex
	seenToken []xinkserver.GetTokenFormdataRequestBody
}

func (s *echoServer) GetEmployee(_ context.Context, req xinkserver.GetEmployeeRequestObject) (xinkserver.GetEmployeeResponseObject, error) {
	return xinkserver.GetEmployee200JSONResponse{EmployeeReplyJSONResponse: xinkserver.EmployeeReplyJSONResponse{
		Success: true, Employee: &xinkserver.Employee{Email: req.Email},
	}}, nil
}

func (s *echoServer) GetEmployeeFields(_ context.Context, req xinkserver.GetEmployeeFieldsRequestObject) (xinkserver.GetEmployeeFieldsResponseObject, error) {
	email := req.Email
	return xinkserver.GetEmployeeFields200JSONResponse{Success: true, Email: &email}, nil
}

func (s *echoServer) GetSharedMailbox(_ context.Context, req xinkserver.GetSharedMailboxRequestObject) (xinkserver.GetSharedMailboxResponseObject, error) {
	return xinkserver.GetSharedMailbox200JSONResponse{SharedMailboxReplyJSONResponse: xinkserver.SharedMailboxReplyJSONResponse{
		Success: true, Mailbox: &xinkserver.SharedMailbox{Email: req.Email},
	}}, nil
}

func (s *echoServer) GetToken(_ context.Context, req xinkserver.GetTokenRequestObject) (xinkserver.GetTokenResponseObject, error) {
	s.mu.Lock()
	s.seenToken = append(s.seenToken, *req.Body)
	s.mu.Unlock()
	ttl := int64(7200)
	return xinkserver.GetToken200JSONResponse{AccessToken: "t", ExpiresIn: &ttl}, nil
}

// startGenerated serves the generated strict server behind a base URL with a
// path prefix (which catches clients that drop the base path) and returns a
// generated client for it. Registering the routes is itself a test: Go's
// ServeMux panics on conflicting patterns (pitfalls row 4).
func startGenerated(t *testing.T, impl xinkserver.StrictServerInterface, inspect func(*http.Request)) *xinkapi.ClientWithResponses {
	t.Helper()
	mux := http.NewServeMux()
	handler := xinkserver.HandlerWithOptions(xinkserver.NewStrictHandler(impl, nil), xinkserver.StdHTTPServerOptions{BaseURL: "/prefix"})
	mux.Handle("/prefix/", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if inspect != nil {
			inspect(r)
		}
		handler.ServeHTTP(w, r)
	}))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	client, err := xinkapi.NewClientWithResponses(srv.URL+"/prefix", xinkapi.WithHTTPClient(&http.Client{
		CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse },
	}))
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// TestEmailPathRoundTrip sends emails that need escaping through the
// generated client to the generated strict server and expects each back
// unchanged (pitfalls rows 1, 2, 7).
func TestEmailPathRoundTrip(t *testing.T) {
	var mu sync.Mutex
	var lastURI string
	client := startGenerated(t, &echoServer{}, func(r *http.Request) {
		mu.Lock()
		lastURI = r.RequestURI
		mu.Unlock()
	})
	ctx := context.Background()
	emails := []struct{ email, wire string }{
		{"a.b+c@example.com", "/prefix/api/1.0/employee/a.b+c@example.com"},
		{"ü@example.com", "/prefix/api/1.0/employee/%C3%BC@example.com"},
		{"50%off@example.com", "/prefix/api/1.0/employee/50%25off@example.com"},
		{"o'brien@example.com", "/prefix/api/1.0/employee/o%27brien@example.com"},
		{"a b@example.com", "/prefix/api/1.0/employee/a%20b@example.com"},
		{"a;b=c@example.com", "/prefix/api/1.0/employee/a%3Bb=c@example.com"},
		{"id@SRV", "/prefix/api/1.0/employee/id@SRV"},
	}
	for _, tc := range emails {
		t.Run(tc.email, func(t *testing.T) {
			resp, err := client.GetEmployeeWithResponse(ctx, tc.email)
			if err != nil {
				t.Fatal(err)
			}
			if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil || resp.JSON200.Employee == nil {
				t.Fatalf("status %d, body %s", resp.StatusCode(), resp.Body)
			}
			if diff := cmp.Diff(tc.email, resp.JSON200.Employee.Email); diff != "" {
				t.Errorf("getEmployee email changed in the round trip (-sent +received):\n%s", diff)
			}
			mu.Lock()
			uri := lastURI
			mu.Unlock()
			// Go's url.PathEscape keeps '\'' literal; the server must accept either.
			if uri != tc.wire && uri != strings.ReplaceAll(tc.wire, "%27", "'") {
				t.Errorf("on the wire: %s, want %s", uri, tc.wire)
			}

			fields, err := client.GetEmployeeFieldsWithResponse(ctx, tc.email)
			if err != nil {
				t.Fatal(err)
			}
			if fields.JSON200 == nil || fields.JSON200.Email == nil || *fields.JSON200.Email != tc.email {
				t.Errorf("getEmployeeFields: status %d, body %s", fields.StatusCode(), fields.Body)
			}
			mb, err := client.GetSharedMailboxWithResponse(ctx, tc.email)
			if err != nil {
				t.Fatal(err)
			}
			if mb.JSON200 == nil || mb.JSON200.Mailbox == nil || mb.JSON200.Mailbox.Email != tc.email {
				t.Errorf("getSharedMailbox: status %d, body %s", mb.StatusCode(), mb.Body)
			}
		})
	}
}

// TestTokenRequestIsFormEncoded proves the generated token call sends
// application/x-www-form-urlencoded, never JSON, and that special characters
// in credentials survive to the strict server.
func TestTokenRequestIsFormEncoded(t *testing.T) {
	var mu sync.Mutex
	var contentType, rawBody string
	impl := &echoServer{}
	client := startGenerated(t, impl, func(r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(strings.NewReader(string(b)))
		mu.Lock()
		contentType, rawBody = r.Header.Get("Content-Type"), string(b)
		mu.Unlock()
	})
	scope := "employeeread employeectrl"
	id, secret := "b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV", "p+a=s/s%é&x"
	resp, err := client.GetTokenWithFormdataBodyWithResponse(context.Background(), xinkapi.GetTokenFormdataRequestBody{
		GrantType: xinkapi.ClientCredentials, Scope: &scope, ClientId: &id, ClientSecret: &secret,
	})
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode() != http.StatusOK || resp.JSON200 == nil || resp.JSON200.AccessToken != "t" {
		t.Fatalf("status %d, body %s", resp.StatusCode(), resp.Body)
	}
	mu.Lock()
	defer mu.Unlock()
	if contentType != "application/x-www-form-urlencoded" {
		t.Errorf("Content-Type = %q, want application/x-www-form-urlencoded", contentType)
	}
	if json.Valid([]byte(rawBody)) {
		t.Errorf("token request body is JSON: %s", rawBody)
	}
	form, err := url.ParseQuery(rawBody)
	if err != nil {
		t.Fatalf("body %q is not form-urlencoded: %v", rawBody, err)
	}
	want := url.Values{"grant_type": {"client_credentials"}, "scope": {scope}, "client_id": {id}, "client_secret": {secret}}
	if diff := cmp.Diff(want, form); diff != "" {
		t.Errorf("form fields (-want +got):\n%s", diff)
	}
	impl.mu.Lock()
	defer impl.mu.Unlock()
	if len(impl.seenToken) != 1 {
		t.Fatalf("strict server saw %d token requests", len(impl.seenToken))
	}
	got := impl.seenToken[0]
	if got.ClientId == nil || *got.ClientId != id || got.ClientSecret == nil || *got.ClientSecret != secret {
		t.Errorf("strict server bound client_id=%v client_secret=%v", got.ClientId, got.ClientSecret)
	}
}
