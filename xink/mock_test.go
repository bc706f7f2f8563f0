package xink

import (
	"bytes"
	"context"
	"errors"
	"io"
	"iter"
	"net/http"
	"reflect"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/google/go-cmp/cmp"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

// Acceptance tests against the in-process mock (mockserver/mocktest): strict response
// validation is on, so a mock answer outside the spec fails the test too.

func mockClient(t *testing.T, m *mocktest.Mock, opts ...Option) (*Client, *sleepRecorder) {
	t.Helper()
	sleeps := &sleepRecorder{}
	base := []Option{WithCredentials(m.ClientID, m.ClientSecret), WithAuthURL(m.URL), withSleep(sleeps.sleep)}
	c, err := NewClient(context.Background(), append(base, opts...)...)
	if err != nil {
		t.Fatal(err)
	}
	return c, sleeps
}

// statuses lists the journal's statuses for one operation, in order.
func statuses(m *mocktest.Mock, op string) []int {
	var out []int
	for _, e := range m.Server.Journal() {
		if e.OperationID == op {
			out = append(out, e.Status)
		}
	}
	return out
}

func TestMock_100CallsReuseOneToken(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	ctx := context.Background()
	for i := range 100 {
		if _, err := c.GetEmployeeFields(ctx, "zoe.ostergaard@example.com"); err != nil {
			t.Fatalf("call %d: %v", i, err)
		}
	}
	if n := m.Server.TokensIssued(); n != 1 {
		t.Fatalf("tokens issued = %d, want 1", n)
	}
	if got := len(statuses(m, "getEmployeeFields")); got != 100 {
		t.Fatalf("getEmployeeFields requests = %d, want 100", got)
	}
	if got := len(statuses(m, "getDiscovery")); got != 1 {
		t.Fatalf("discovery requests = %d, want 1", got)
	}
}

func TestMock_ShortTTLRefreshesBeforeExpiry(t *testing.T) {
	mockClock, clientClock := newFakeClock(), newFakeClock()
	m := mocktest.Start(t, mockserver.WithTokenTTL(10*time.Minute), mockserver.WithClock(mockClock.now))
	c, _ := mockClient(t, m, withClock(clientClock.now))
	ctx := context.Background()
	if _, err := c.GetAccountInfo(ctx); err != nil {
		t.Fatal(err)
	}
	// Nine and a half minutes on: inside the 60s skew, so the client replaces the token
	// before the mock would refuse it.
	mockClock.advance(9*time.Minute + 30*time.Second)
	clientClock.advance(9*time.Minute + 30*time.Second)
	if _, err := c.GetAccountInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := m.Server.TokensIssued(); n != 2 {
		t.Fatalf("tokens issued = %d, want 2", n)
	}
	// Twenty minutes on: the second token expired too; again a refresh, still no 401.
	mockClock.advance(20 * time.Minute)
	clientClock.advance(20 * time.Minute)
	if _, err := c.GetAccountInfo(ctx); err != nil {
		t.Fatal(err)
	}
	if n := m.Server.TokensIssued(); n != 3 {
		t.Fatalf("tokens issued = %d, want 3", n)
	}
	if diff := cmp.Diff([]int{200, 200, 200}, statuses(m, "getAccountInfo")); diff != "" {
		t.Fatalf("getAccountInfo statuses (-want +got), a 401 means the refresh was not proactive:\n%s", diff)
	}
}

func TestMock_RevokedTokenIsRefreshedAndRetriedOnce(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	ctx := context.Background()
	if _, err := c.GetEmployee(ctx, "zoe.ostergaard@example.com"); err != nil {
		t.Fatal(err)
	}
	if n := m.Server.RevokeAllTokens(); n != 1 {
		t.Fatalf("revoked %d tokens, want 1", n)
	}
	e, err := c.GetEmployee(ctx, "zoe.ostergaard@example.com")
	if err != nil {
		t.Fatalf("after revocation: %v", err)
	}
	if e.Email != "zoe.ostergaard@example.com" {
		t.Fatalf("email = %q", e.Email)
	}
	if n := m.Server.TokensIssued(); n != 2 {
		t.Fatalf("tokens issued = %d, want 2", n)
	}
	if diff := cmp.Diff([]int{200, 401, 200}, statuses(m, "getEmployee")); diff != "" {
		t.Fatalf("getEmployee statuses (-want +got):\n%s", diff)
	}
}

func TestMock_429RetryAfterIsHonoured(t *testing.T) {
	m := mocktest.Start(t)
	c, sleeps := mockClient(t, m)
	if err := m.Server.AddFault(mockserver.Fault{Operation: "getAccountInfo", Status: 429, RetryAfter: 3 * time.Second, Times: 1}); err != nil {
		t.Fatal(err)
	}
	info, err := c.GetAccountInfo(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if info.Name.MustGet() == "" {
		t.Error("no account name")
	}
	if diff := cmp.Diff([]time.Duration{3 * time.Second}, sleeps.got()); diff != "" {
		t.Fatalf("waits (-want +got): the client must wait exactly Retry-After:\n%s", diff)
	}
	if diff := cmp.Diff([]int{429, 200}, statuses(m, "getAccountInfo")); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s", diff)
	}
}

func TestMock_503Then200Succeeds(t *testing.T) {
	m := mocktest.Start(t)
	c, sleeps := mockClient(t, m)
	ctx := context.Background()
	for _, f := range []mockserver.Fault{
		{Operation: "listEmployeesPage", Status: 503, Times: 2},
		{Operation: "updateSignature", Status: 503, Times: 1},
		{Operation: "deleteEmployee", Status: 504, Times: 1},
	} {
		if err := m.Server.AddFault(f); err != nil {
			t.Fatal(err)
		}
	}
	page, err := c.ListEmployeesPage(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	if len(items(page.Employees)) != 10 {
		t.Fatalf("%d employees", len(items(page.Employees)))
	}
	if diff := cmp.Diff([]int{503, 503, 200}, statuses(m, "listEmployeesPage")); diff != "" {
		t.Fatalf("GET statuses (-want +got):\n%s", diff)
	}
	// PUT and DELETE are retried too.
	if _, err := c.UpdateSignature(ctx, 1, UpdateSignatureRequest{Name: Ptr("Corporate 2")}); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{503, 200}, statuses(m, "updateSignature")); diff != "" {
		t.Fatalf("PUT statuses (-want +got):\n%s", diff)
	}
	if err := c.DeleteEmployee(ctx, "jose.nunez@example.com"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{504, 200}, statuses(m, "deleteEmployee")); diff != "" {
		t.Fatalf("DELETE statuses (-want +got):\n%s", diff)
	}
	if n := len(sleeps.got()); n != 4 {
		t.Fatalf("%d waits, want 4", n)
	}
}

func TestMock_POSTWith503IsNotRetried(t *testing.T) {
	m := mocktest.Start(t)
	c, sleeps := mockClient(t, m)
	ctx := context.Background()
	if err := m.Server.AddFault(mockserver.Fault{Operation: "createSignature", Status: 503, Times: 1}); err != nil {
		t.Fatal(err)
	}
	req := SignatureRequest{Name: "Retry probe", Html: "<p>((DisplayName))</p>"}
	_, err := c.CreateSignature(ctx, req)
	var xe *Error
	if !errors.As(err, &xe) || xe.StatusCode != 503 || xe.Operation != "createSignature" {
		t.Fatalf("err = %v, want *Error 503", err)
	}
	if diff := cmp.Diff([]int{503}, statuses(m, "createSignature")); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s", diff)
	}
	if len(sleeps.got()) != 0 {
		t.Fatalf("waited %v for a POST", sleeps.got())
	}
	// The fault is used up: the same call now works, and only one template was created.
	sig, err := c.CreateSignature(ctx, req)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for s, err := range c.Signatures(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		if s.Name.MustGet() == "Retry probe" {
			n++
		}
	}
	if n != 1 || sig.Id == 0 {
		t.Fatalf("%d templates named Retry probe (id %d), want 1", n, sig.Id)
	}
}

func TestMock_CancelledContextStopsRetries(t *testing.T) {
	m := mocktest.Start(t)
	sleeping := make(chan time.Duration, 10)
	c, _ := mockClient(t, m,
		WithRetryPolicy(RetryPolicy{MaxAttempts: 10, BaseDelay: time.Hour, MaxDelay: time.Hour}),
		withSleep(func(ctx context.Context, d time.Duration) error {
			sleeping <- d
			return sleepContext(ctx, d) // the real sleeper: an hour unless cancelled
		}),
		func(cfg *config) error { cfg.rand = func(n int64) int64 { return n - 1 }; return nil })
	if _, err := c.GetToken(context.Background()); err != nil {
		t.Fatal(err)
	}
	if err := m.Server.AddFault(mockserver.Fault{Operation: "getAccountInfo", Status: 503}); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { _, err := c.GetAccountInfo(ctx); done <- err }()
	if d := <-sleeping; d != time.Hour {
		t.Fatalf("backoff %s, want the policy's 1h", d)
	}
	cancel()
	select {
	case err := <-done:
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("err = %v, want context.Canceled", err)
		}
	case <-time.After(30 * time.Second): // a guard against a hang, not a timing assertion
		t.Fatal("the call did not return after its context was cancelled")
	}
	if diff := cmp.Diff([]int{503}, statuses(m, "getAccountInfo")); diff != "" {
		t.Fatalf("statuses (-want +got):\n%s", diff)
	}
	// An already-cancelled context sends nothing.
	before := len(m.Server.Journal())
	if _, err := c.GetAccountInfo(ctx); !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v", err)
	}
	if after := len(m.Server.Journal()); after != before {
		t.Fatalf("%d requests with a cancelled context", after-before)
	}
}

func TestMock_NetworkErrorIsRetried(t *testing.T) {
	m := mocktest.Start(t)
	// No keep-alive: net/http would itself re-send a GET that failed on a reused connection.
	c, sleeps := mockClient(t, m, WithHTTPClient(&http.Client{Transport: &http.Transport{DisableKeepAlives: true}}))
	if err := m.Server.AddFault(mockserver.Fault{Operation: "listSignatures", Drop: true, Times: 1}); err != nil {
		t.Fatal(err)
	}
	sigs, err := c.ListSignatures(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if len(sigs) == 0 || len(sleeps.got()) != 1 {
		t.Fatalf("%d templates, waits %v", len(sigs), sleeps.got())
	}
}

func TestMock_InvalidEmailsNeverReachTheServer(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	ctx := context.Background()
	for _, e := range []string{"", "   ", "a/b@example.com", "/", "zoe.ostergaard@example.com/fields"} {
		if _, err := c.GetEmployeeSignatures(ctx, e); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("GetEmployeeSignatures(%q): %v", e, err)
		}
		if _, err := c.GetEmployeeFields(ctx, e); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("GetEmployeeFields(%q): %v", e, err)
		}
		if err := c.DeleteEmployee(ctx, e); !errors.Is(err, ErrInvalidArgument) {
			t.Errorf("DeleteEmployee(%q): %v", e, err)
		}
	}
	if j := m.Server.Journal(); len(j) != 0 {
		t.Fatalf("the mock saw %d requests, first %+v; want none", len(j), j[0])
	}
}

func TestMock_EmployeesIteratorWalks1234InPagesOf100(t *testing.T) {
	seed := mockserver.DefaultSeed()
	want := mockserver.GenerateEmployees(1234)
	seed.Accounts[0].Employees = want
	seed.Accounts[0].Assignments = nil
	seed.Accounts[0].Rerouting = nil
	seed.Accounts[0].SharedMailboxes = nil
	m := mocktest.Start(t, mockserver.WithSeed(seed))
	c, _ := mockClient(t, m, WithPageSize(100))
	seen := map[string]int{}
	var order []string
	for e, err := range c.Employees(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		seen[e.Email]++
		order = append(order, e.Email)
	}
	if len(order) != 1234 {
		t.Fatalf("walked %d employees, want 1234", len(order))
	}
	for email, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", email, n)
		}
	}
	for _, e := range want {
		if seen[e.Email] != 1 {
			t.Errorf("%s missed", e.Email)
		}
	}
	if got := len(statuses(m, "listEmployeesPage")); got != 13 {
		t.Fatalf("%d page requests, want 13 (12 full pages of 100 and one of 34)", got)
	}
	// Stopping early stops fetching.
	m.Server.ClearJournal()
	n := 0
	for _, err := range c.Employees(context.Background()) {
		if err != nil {
			t.Fatal(err)
		}
		if n++; n == 150 {
			break
		}
	}
	if got := len(statuses(m, "listEmployeesPage")); got != 2 {
		t.Fatalf("%d page requests for 150 employees, want 2", got)
	}
}

func TestMock_IteratorYieldsErrorOnce(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m, WithPageSize(10), WithRetryPolicy(RetryPolicy{MaxAttempts: 1}))
	if err := m.Server.AddFault(mockserver.Fault{Operation: "listEmployeesPage", Status: 500}); err != nil {
		t.Fatal(err)
	}
	var errs []error
	for _, err := range c.Employees(context.Background()) {
		errs = append(errs, err)
	}
	var xe *Error
	if len(errs) != 1 || !errors.As(errs[0], &xe) || xe.StatusCode != 500 {
		t.Fatalf("errors = %v, want one 500", errs)
	}
}

func TestMock_32GoroutinesShareOneClient(t *testing.T) {
	// Discovered: the goroutines meet at discovery first. Pinned: they meet at the token.
	t.Run("discovered", func(t *testing.T) { run32(t, false) })
	t.Run("pinned API root", func(t *testing.T) { run32(t, true) })
}

func run32(t *testing.T, pinned bool) {
	m := mocktest.Start(t)
	var opts []Option
	if pinned {
		opts = append(opts, WithAPIRoot(m.APIRoot))
	}
	c, _ := mockClient(t, m, opts...)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make(chan error, 32*3)
	start := make(chan struct{})
	for i := range 32 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			if _, err := c.GetAccountInfo(ctx); err != nil {
				errs <- err
			}
			if _, err := c.GetEmployeeSignatures(ctx, "zoe.ostergaard@example.com"); err != nil {
				errs <- err
			}
			if i%2 == 0 {
				for _, err := range c.Employees(ctx) {
					if err != nil {
						errs <- err
						break
					}
				}
			}
		}()
	}
	close(start)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n := m.Server.TokensIssued(); n != 1 {
		t.Fatalf("tokens issued = %d, want exactly 1", n)
	}
	want := 1
	if pinned {
		want = 0
	}
	if got := len(statuses(m, "getDiscovery")); got != want {
		t.Fatalf("discovery requests = %d, want %d", got, want)
	}
}

func TestMock_UploadImageThenServeIt(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	ctx := context.Background()
	img, err := c.UploadImage(ctx, "logo.png", onlyReader{bytes.NewReader(tinyPNG)}, WithImageName("Company logo"))
	if err != nil {
		t.Fatal(err)
	}
	if img.Name.MustGet() != "Company logo" || img.ContentType.MustGet() != "image/png" || *img.Size != int64(len(tinyPNG)) {
		t.Fatalf("image = %+v", img)
	}
	found := false
	for im, err := range c.Images(ctx) {
		if err != nil {
			t.Fatal(err)
		}
		found = found || im.Id == img.Id
	}
	if !found {
		t.Fatal("uploaded image not listed")
	}
	body, ct, err := c.OpenImage(ctx, img.Url.MustGet())
	if err != nil {
		t.Fatal(err)
	}
	defer body.Close()
	got, _ := io.ReadAll(body)
	if !bytes.Equal(got, tinyPNG) || ct != "image/png" {
		t.Fatalf("served %d bytes as %q", len(got), ct)
	}
}

func TestMock_ForbiddenCarriesScope(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m, WithScopes(ScopeEmployeeRead))
	_, err := c.GetEmployeeFields(context.Background(), "zoe.ostergaard@example.com")
	var xe *Error
	if !errors.As(err, &xe) || !errors.Is(err, ErrForbidden) {
		t.Fatalf("err = %v, want ErrForbidden", err)
	}
	if xe.Scope != ScopeEmployeeFieldsRead || xe.Code != "insufficient_scope" || xe.Message == "" {
		t.Fatalf("error = %+v", xe)
	}
	_, err = c.GetEmployee(context.Background(), "nobody@example.com")
	if !errors.Is(err, ErrNotFound) || !strings.Contains(err.Error(), "nobody@example.com") {
		t.Fatalf("err = %v, want ErrNotFound naming the email", err)
	}
}

// TestMock_EveryOperationIsReachable checks, in the spirit of go-github's operation metadata,
// that every operationId in the spec has a facade method of the same name taking a context
// and returning an error, and that calling it reaches exactly that operation on the mock.
func TestMock_EveryOperationIsReachable(t *testing.T) {
	doc, err := openapi3.NewLoader().LoadFromFile("../openapi/xink.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var specOps []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			specOps = append(specOps, op.OperationID)
		}
	}
	sort.Strings(specOps)

	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	var partnerID, partnerSecret string
	for _, cl := range mockserver.DefaultSeed().Clients {
		if slices.Contains(cl.Scopes, ScopeManagedAccountsCtrl) {
			partnerID, partnerSecret = cl.ID, cl.Secret
		}
	}
	partner, _ := mockClient(t, m, WithCredentials(partnerID, partnerSecret))
	const zoe = "zoe.ostergaard@example.com"
	var sigID, imgID int64
	var accountID string
	type step struct {
		op  string
		run func(ctx context.Context) error
	}
	steps := []step{
		{"getToken", func(ctx context.Context) error { _, err := c.GetToken(ctx); return err }},
		{"getDiscovery", func(ctx context.Context) error { _, err := c.GetDiscovery(ctx); return err }},
		{"getAccountInfo", func(ctx context.Context) error { _, err := c.GetAccountInfo(ctx); return err }},
		{"listEmployees", func(ctx context.Context) error { _, err := c.ListEmployees(ctx); return err }},
		{"listEmployeesPage", func(ctx context.Context) error { _, err := c.ListEmployeesPage(ctx, 5, 5); return err }},
		{"createEmployee", func(ctx context.Context) error {
			_, err := c.CreateEmployee(ctx, CreateEmployeeRequest{Email: "new.person@example.com", FirstName: Value("New")})
			return err
		}},
		{"getEmployee", func(ctx context.Context) error { _, err := c.GetEmployee(ctx, "new.person@example.com"); return err }},
		{"getEmployeeFields", func(ctx context.Context) error { _, err := c.GetEmployeeFields(ctx, zoe); return err }},
		{"setEmployeeFields", func(ctx context.Context) error {
			_, err := c.SetEmployeeFields(ctx, zoe, FieldValue{Name: "JobTitle", Value: Value("Design Director")})
			return err
		}},
		{"getEmployeeSignatures", func(ctx context.Context) error { _, err := c.GetEmployeeSignatures(ctx, zoe); return err }},
		{"deleteEmployee", func(ctx context.Context) error { return c.DeleteEmployee(ctx, "new.person@example.com") }},
		{"listImages", func(ctx context.Context) error { _, err := c.ListImages(ctx); return err }},
		{"uploadImage", func(ctx context.Context) error {
			im, err := c.UploadImage(ctx, "x.png", bytes.NewReader(tinyPNG))
			if im != nil {
				imgID = im.Id
			}
			return err
		}},
		{"deleteImage", func(ctx context.Context) error { return c.DeleteImage(ctx, imgID) }},
		{"listSignatures", func(ctx context.Context) error { _, err := c.ListSignatures(ctx); return err }},
		{"createSignature", func(ctx context.Context) error {
			s, err := c.CreateSignature(ctx, SignatureRequest{Name: "Temp", Html: "<p>((FirstName))</p>"})
			if s != nil {
				sigID = s.Id
			}
			return err
		}},
		{"getSignature", func(ctx context.Context) error { _, err := c.GetSignature(ctx, sigID); return err }},
		{"updateSignature", func(ctx context.Context) error {
			_, err := c.UpdateSignature(ctx, sigID, UpdateSignatureRequest{Html: Ptr("<p>((DisplayName))</p>")})
			return err
		}},
		{"assignSignature", func(ctx context.Context) error {
			_, err := c.AssignSignature(ctx, sigID, AssignSignatureRequest{Emails: []string{zoe}, DefaultNew: Ptr(true)})
			return err
		}},
		{"importSignature", func(ctx context.Context) error {
			_, err := c.ImportSignature(ctx, ImportSignatureRequest{Name: "Imported", Html: "<table><tr><td>x</td></tr></table>"})
			return err
		}},
		{"deleteSignature", func(ctx context.Context) error { return c.DeleteSignature(ctx, sigID) }},
		{"listRerouting", func(ctx context.Context) error { _, err := c.ListRerouting(ctx); return err }},
		{"getRerouting", func(ctx context.Context) error { _, err := c.GetRerouting(ctx, zoe); return err }},
		{"setRerouting", func(ctx context.Context) error {
			_, err := c.SetRerouting(ctx, zoe, SetReroutingRequest{Enabled: false})
			return err
		}},
		{"listSharedMailboxes", func(ctx context.Context) error { _, err := c.ListSharedMailboxes(ctx); return err }},
		{"createSharedMailbox", func(ctx context.Context) error {
			_, err := c.CreateSharedMailbox(ctx, CreateSharedMailboxRequest{Email: "sales@example.com", DisplayName: Value("Sales"), Members: []string{zoe}})
			return err
		}},
		{"getSharedMailbox", func(ctx context.Context) error { _, err := c.GetSharedMailbox(ctx, "sales@example.com"); return err }},
		{"updateSharedMailbox", func(ctx context.Context) error {
			_, err := c.UpdateSharedMailbox(ctx, "sales@example.com", UpdateSharedMailboxRequest{DisplayName: Value("Sales EU")})
			return err
		}},
		{"deleteSharedMailbox", func(ctx context.Context) error { return c.DeleteSharedMailbox(ctx, "sales@example.com") }},
		{"listManagedAccounts", func(ctx context.Context) error { _, err := partner.ListManagedAccounts(ctx); return err }},
		{"createManagedAccount", func(ctx context.Context) error {
			a, err := partner.CreateManagedAccount(ctx, CreateManagedAccountRequest{Name: "Client Co", DataCenterID: "EU", AdminEmail: Value("it@example.org")})
			if a != nil {
				accountID = a.AccountId
			}
			return err
		}},
		{"getManagedAccount", func(ctx context.Context) error { _, err := partner.GetManagedAccount(ctx, accountID); return err }},
		{"deleteManagedAccount", func(ctx context.Context) error { return partner.DeleteManagedAccount(ctx, accountID) }},
	}

	var covered []string
	clientType := reflect.TypeOf(c)
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	errType := reflect.TypeOf((*error)(nil)).Elem()
	for _, s := range steps {
		covered = append(covered, s.op)
		name := string(unicode.ToUpper(rune(s.op[0]))) + s.op[1:]
		meth, ok := clientType.MethodByName(name)
		if !ok {
			t.Errorf("%s: no method (*Client).%s", s.op, name)
			continue
		}
		mt := meth.Type
		if mt.NumIn() < 2 || mt.In(1) != ctxType || mt.Out(mt.NumOut()-1) != errType {
			t.Errorf("%s: %s is not func(ctx, ...) (..., error)", s.op, mt)
		}
		for i := 2; i < mt.NumIn(); i++ {
			if in := mt.In(i); in.Kind() == reflect.Interface && in.String() != "io.Reader" || in.Kind() == reflect.Map {
				t.Errorf("%s: untyped parameter %s", s.op, in)
			}
		}
		m.Server.ClearJournal()
		if err := s.run(context.Background()); err != nil {
			t.Errorf("%s: %v", s.op, err)
			continue
		}
		var ops []string
		for _, e := range m.Server.Journal() {
			if e.Status >= 200 && e.Status < 300 {
				ops = append(ops, e.OperationID)
			}
		}
		if !slices.Contains(ops, s.op) {
			t.Errorf("%s: the mock saw %v", s.op, ops)
		}
	}
	sort.Strings(covered)
	if diff := cmp.Diff(specOps, covered); diff != "" {
		t.Errorf("operations in the spec (-) vs covered by the facade (+):\n%s", diff)
	}
}

func TestMock_ListIteratorsMatchLists(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	var partnerID, partnerSecret string
	for _, cl := range mockserver.DefaultSeed().Clients {
		if slices.Contains(cl.Scopes, ScopeManagedAccountsRead) {
			partnerID, partnerSecret = cl.ID, cl.Secret
		}
	}
	partner, _ := mockClient(t, m, WithCredentials(partnerID, partnerSecret))
	ctx := context.Background()
	rer, err := c.ListRerouting(ctx)
	if err != nil {
		t.Fatal(err)
	}
	smb, err := c.ListSharedMailboxes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	mas, err := partner.ListManagedAccounts(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(rer) == 0 || len(smb) == 0 || len(mas) == 0 {
		t.Fatalf("seed too small: %d %d %d", len(rer), len(smb), len(mas))
	}
	if got := countSeq(t, c.Rerouting(ctx)); got != len(rer) {
		t.Errorf("Rerouting yielded %d, ListRerouting %d", got, len(rer))
	}
	if got := countSeq(t, c.SharedMailboxes(ctx)); got != len(smb) {
		t.Errorf("SharedMailboxes yielded %d, list %d", got, len(smb))
	}
	if got := countSeq(t, partner.ManagedAccounts(ctx)); got != len(mas) {
		t.Errorf("ManagedAccounts yielded %d, list %d", got, len(mas))
	}
	// A client without the scope gets the 403 through the iterator.
	for _, err := range c.ManagedAccounts(ctx) {
		if !errors.Is(err, ErrForbidden) {
			t.Errorf("err = %v, want ErrForbidden", err)
		}
	}
}

func countSeq[T any](t *testing.T, seq iter.Seq2[T, error]) int {
	t.Helper()
	n := 0
	for _, err := range seq {
		if err != nil {
			t.Fatal(err)
		}
		n++
	}
	return n
}

func TestMock_TokenSourceSharesTheCache(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	ts := c.TokenSource(context.Background())
	a, err := ts.Token()
	if err != nil {
		t.Fatal(err)
	}
	b, err := c.GetToken(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if a.AccessToken != b.AccessToken || m.Server.TokensIssued() != 1 {
		t.Fatalf("two tokens (%d issued)", m.Server.TokensIssued())
	}
	if scope, _ := a.Extra("scope").(string); !strings.Contains(scope, ScopeEmployeeRead) {
		t.Errorf("scope extra = %q", scope)
	}
}

// TestMock_BadRequestSentinel: a 400 from the server (here: a template update the mock
// refuses because it changes nothing) matches ErrBadRequest and no other sentinel.
func TestMock_BadRequestSentinel(t *testing.T) {
	m := mocktest.Start(t)
	c, _ := mockClient(t, m)
	_, err := c.UpdateSignature(context.Background(), 1, UpdateSignatureRequest{Name: Ptr("Corporate"), Html: Ptr("")})
	var xe *Error
	if !errors.As(err, &xe) || xe.StatusCode != 400 {
		t.Fatalf("err = %v, want a 400 *Error", err)
	}
	if !errors.Is(err, ErrBadRequest) || errors.Is(err, ErrNotFound) || errors.Is(err, ErrConflict) {
		t.Errorf("errors.Is: ErrBadRequest %v, ErrNotFound %v, ErrConflict %v; want only ErrBadRequest",
			errors.Is(err, ErrBadRequest), errors.Is(err, ErrNotFound), errors.Is(err, ErrConflict))
	}
}
