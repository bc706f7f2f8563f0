package contracttests

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/xink-go/xink-go/generated/xinkapi"
	"github.com/xink-go/xink-go/xink"
)

// The scenarios' own synthetic data. Scenarios only write to, and only
// delete, objects they created from these values, so running them against a
// real account leaves its existing data alone; and the recorder keeps these
// values (they are not personal data), so recordings replay exactly.
const (
	ctEmail        = "ct.new.hire@example.com"
	ctFirstName    = "Contract"
	ctLastName     = "Tester"
	ctDisplayName  = "Contract Tester"
	ctJobTitle     = "QA Engineer"
	ctDepartment   = "Quality"
	ctMobile       = "+45 00 00 00 01"
	ctNewJobTitle  = "Senior QA Engineer"
	ctMissingEmail = "ct.nobody@example.com"
	ctMailbox      = "ct.shared.desk@example.com"
	ctMailboxName  = "Contract Test Desk"
	ctMailboxName2 = "Contract Test Desk (renamed)"
	ctAccountName  = "Contract Test Client ApS"
	ctAccountAdmin = "ct.admin@example.com"
	ctSigName      = "Contract Test Signature"
	ctSigHTML      = "<p>((DisplayName)) | ((JobTitle))</p>"
	ctSigHTML2     = "<p><b>((DisplayName))</b> | ((JobTitle))</p>"
	ctImportName   = "Contract Test Import"
	ctImportHTML   = "<table><tr><td>Contract Tester</td></tr></table>"
	ctImageName    = "ct-logo.png"
	// BadToken is a syntactically fine token no server issued.
	BadToken = "ct-not-a-valid-token"
)

// SyntheticValues returns the scenarios' own test data, to pass to
// cassette.WithKeep.
func SyntheticValues() []string {
	return []string{ctEmail, ctFirstName, ctLastName, ctDisplayName, ctJobTitle, ctDepartment, ctMobile, ctNewJobTitle,
		ctMissingEmail, ctMailbox, ctMailboxName, ctMailboxName2, ctAccountName, ctAccountAdmin, ctSigName,
		ctImportName, ctImportHTML, ctImageName}
}

// pngBytes returns a valid 1x1 PNG (a fresh copy each call).
func pngBytes() []byte {
	return []byte{
		0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d,
		0x49, 0x48, 0x44, 0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01,
		0x08, 0x04, 0x00, 0x00, 0x00, 0xb5, 0x1c, 0x0c, 0x02, 0x00, 0x00, 0x00,
		0x0b, 0x49, 0x44, 0x41, 0x54, 0x78, 0xda, 0x63, 0x64, 0x60, 0x00, 0x00,
		0x00, 0x06, 0x00, 0x02, 0x30, 0x81, 0xd0, 0x2f, 0x00, 0x00, 0x00, 0x00,
		0x49, 0x45, 0x4e, 0x44, 0xae, 0x42, 0x60, 0x82,
	}
}

// Scenario is one named sequence of calls with its expected outcomes. The
// same list runs against the mock, the recordings and the live API.
//
// Scenarios drive the client facade (package xink). The few error paths the
// facade refuses to send, because it validates input first (a page limit
// above 500, an employee without Email, an unknown scope, a call without or
// with a forged token), drive the generated client (package xinkapi)
// directly; their descriptions say "raw".
type Scenario struct {
	// Name names the scenario and its cassette (<Name>.json).
	Name string
	// Description says what the scenario shows.
	Description string
	// Operations lists the operationIds the scenario calls.
	Operations []string
	// Writes is true when the scenario creates, changes or deletes anything
	// (it then only touches objects it created itself).
	Writes bool
	// Run performs the calls and returns the first unexpected outcome.
	Run func(ctx context.Context, e *Env) error
}

// Env is what a scenario runs against: the authorization server's base URL,
// client credentials and an HTTP client whose transport reaches the target
// (the mock, a replayer, a recorder, the live API).
type Env struct {
	// AuthURL is the base URL of the token endpoint and discovery.
	AuthURL string
	// ClientID and ClientSecret are the client credentials.
	ClientID, ClientSecret string
	// HTTP is the client every request goes through.
	HTTP *http.Client
	// APIRoot, when set, replaces the APIRoot discovery returns (discovery
	// is still called).
	APIRoot string

	cleanups []func(context.Context)
}

// onFailure registers a best-effort cleanup that runs only if the scenario
// fails before it deletes what it created.
func (e *Env) onFailure(f func(context.Context)) { e.cleanups = append(e.cleanups, f) }

// RunScenario runs s in e and, if it fails, its registered cleanups.
func RunScenario(ctx context.Context, s Scenario, e *Env) error {
	e.cleanups = nil
	err := s.Run(ctx, e)
	if err != nil {
		for i := len(e.cleanups) - 1; i >= 0; i-- {
			e.cleanups[i](ctx)
		}
	}
	return err
}

func (e *Env) client(base string, token string) (*xinkapi.ClientWithResponses, error) {
	opts := []xinkapi.ClientOption{xinkapi.WithHTTPClient(e.HTTP)}
	if token != "" {
		opts = append(opts, xinkapi.WithRequestEditorFn(func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Bearer "+token)
			return nil
		}))
	}
	return xinkapi.NewClientWithResponses(base, opts...)
}

type response interface {
	StatusCode() int
	GetBody() []byte
}

// expect checks a call's status (and, for 2xx, that the typed body decoded).
func expect(op string, r response, err error, want int, typed bool) error {
	if err != nil {
		return fmt.Errorf("%s: %w", op, err)
	}
	if r.StatusCode() != want {
		body := string(r.GetBody())
		if len(body) > 300 {
			body = body[:300] + "..."
		}
		return fmt.Errorf("%s: status %d, want %d; body %s", op, r.StatusCode(), want, body)
	}
	if !typed {
		return fmt.Errorf("%s: status %d but the generated client decoded no typed body: %.300s", op, want, r.GetBody())
	}
	return nil
}

// Client returns a facade client for scopes on the target: no retries (a
// retried request would not be in a recording), the Env's HTTP client.
func (e *Env) Client(ctx context.Context, scopes ...string) (*xink.Client, error) {
	opts := []xink.Option{xink.WithAuthURL(e.AuthURL), xink.WithCredentials(e.ClientID, e.ClientSecret),
		xink.WithScopes(scopes...), xink.WithHTTPClient(e.HTTP), xink.WithRetryPolicy(xink.RetryPolicy{MaxAttempts: 1})}
	if e.APIRoot != "" {
		opts = append(opts, xink.WithAPIRoot(e.APIRoot))
	}
	return xink.NewClient(ctx, opts...)
}

// wantError checks that err is the facade's *xink.Error with the status.
func wantError(op string, err error, status int) error {
	var xe *xink.Error
	switch {
	case err == nil:
		return fmt.Errorf("%s: succeeded, want status %d", op, status)
	case !errors.As(err, &xe):
		return fmt.Errorf("%s: %v, want a *xink.Error with status %d", op, err, status)
	case xe.StatusCode != status:
		return fmt.Errorf("%s: status %d, want %d: %v", op, xe.StatusCode, status, err)
	}
	return nil
}

// Token gets a token for scopes with the client credentials in the form
// (generated client: raw scenarios need the token value).
func (e *Env) Token(ctx context.Context, scopes ...string) (string, error) {
	c, err := e.client(e.AuthURL, "")
	if err != nil {
		return "", err
	}
	scope := strings.Join(scopes, " ")
	r, err := c.GetTokenWithFormdataBodyWithResponse(ctx, xinkapi.GetTokenFormdataRequestBody{
		GrantType: "client_credentials", Scope: &scope, ClientId: &e.ClientID, ClientSecret: &e.ClientSecret})
	if err := expect("getToken", r, err, http.StatusOK, r != nil && r.JSON200 != nil); err != nil {
		return "", err
	}
	if r.JSON200.AccessToken == "" {
		return "", errors.New("getToken: empty access_token")
	}
	return r.JSON200.AccessToken, nil
}

// API gets a token for scopes, discovers the APIRoot and returns a client
// for it that sends the token.
func (e *Env) API(ctx context.Context, scopes ...string) (*xinkapi.ClientWithResponses, error) {
	tok, err := e.Token(ctx, scopes...)
	if err != nil {
		return nil, err
	}
	return e.apiWith(ctx, tok)
}

func (e *Env) apiWith(ctx context.Context, tok string) (*xinkapi.ClientWithResponses, error) {
	auth, err := e.client(e.AuthURL, tok)
	if err != nil {
		return nil, err
	}
	d, err := auth.GetDiscoveryWithResponse(ctx)
	if err := expect("getDiscovery", d, err, http.StatusOK, d != nil && d.JSON200 != nil); err != nil {
		return nil, err
	}
	return e.apiClient(d.JSON200, tok)
}

func (e *Env) apiClient(d *xinkapi.DiscoveryResult, tok string) (*xinkapi.ClientWithResponses, error) {
	if e.APIRoot != "" {
		return e.client(e.APIRoot, tok)
	}
	if d.APIRoot == nil || *d.APIRoot == "" {
		return nil, errors.New("getDiscovery: no APIRoot")
	}
	return e.client(*d.APIRoot, tok)
}

func str(s string) *string { return &s }

// Scenarios returns the scenario list: every operation, happy paths and the
// main error paths (400, 401, 403, 404, 409).
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "token", Description: "client-credentials token with every scope (form credentials)",
			Operations: []string{"getToken"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.Client(ctx, xink.AllScopes()...)
				if err != nil {
					return err
				}
				tok, err := c.GetToken(ctx)
				if err != nil {
					return fmt.Errorf("getToken: %w", err)
				}
				if tok.AccessToken == "" || !tok.Valid() {
					return fmt.Errorf("getToken: unusable token (expiry %v)", tok.Expiry)
				}
				return nil
			}},
		{Name: "token_invalid_client", Description: "a wrong client secret gives 401 invalid_client",
			Operations: []string{"getToken"}, Run: func(ctx context.Context, e *Env) error {
				bad := *e
				bad.ClientSecret += "-wrong"
				c, err := bad.Client(ctx, xink.ScopeEmployeeRead)
				if err != nil {
					return err
				}
				_, err = c.GetToken(ctx)
				if err := wantError("getToken", err, http.StatusUnauthorized); err != nil {
					return err
				}
				var xe *xink.Error
				if errors.As(err, &xe); xe.Code != "invalid_client" {
					return fmt.Errorf("getToken: error code %q, want invalid_client", xe.Code)
				}
				return nil
			}},
		{Name: "token_invalid_scope", Description: "raw: an unknown scope gives 400 invalid_scope",
			Operations: []string{"getToken"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.client(e.AuthURL, "")
				if err != nil {
					return err
				}
				r, err := c.GetTokenWithFormdataBodyWithResponse(ctx, xinkapi.GetTokenFormdataRequestBody{
					GrantType: "client_credentials", Scope: str("employeeread nosuchscope"), ClientId: &e.ClientID, ClientSecret: &e.ClientSecret})
				if err := expect("getToken", r, err, http.StatusBadRequest, r != nil && r.JSON400 != nil); err != nil {
					return err
				}
				if r.JSON400.Error != "invalid_scope" {
					return fmt.Errorf("getToken: error %q, want invalid_scope", r.JSON400.Error)
				}
				return nil
			}},
		{Name: "discovery", Description: "discovery with a bearer token names the data center and its base URLs",
			Operations: []string{"getToken", "getDiscovery"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.Client(ctx, xink.ScopeEmployeeRead)
				if err != nil {
					return err
				}
				d, err := c.GetDiscovery(ctx)
				if err != nil {
					return fmt.Errorf("getDiscovery: %w", err)
				}
				if d.APIRoot == "" || d.DataCenterID == "" {
					return fmt.Errorf("getDiscovery: %+v lacks APIRoot or DataCenterID", d)
				}
				return nil
			}},
		{Name: "discovery_without_token", Description: "raw: discovery without a token gives 401",
			Operations: []string{"getDiscovery"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.client(e.AuthURL, "")
				if err != nil {
					return err
				}
				r, err := c.GetDiscoveryWithResponse(ctx)
				return expect("getDiscovery", r, err, http.StatusUnauthorized, r != nil && r.JSON401 != nil)
			}},
		{Name: "account_info", Description: "any valid token reads its account",
			Operations: []string{"getToken", "getDiscovery", "getAccountInfo"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.Client(ctx, xink.ScopeEmployeeRead)
				if err != nil {
					return err
				}
				a, err := c.GetAccountInfo(ctx)
				if err != nil {
					return fmt.Errorf("getAccountInfo: %w", err)
				}
				if !a.Success {
					return fmt.Errorf("getAccountInfo: Success false")
				}
				return nil
			}},
		{Name: "employees_list", Description: "the employee list, default route and one page",
			Operations: []string{"getToken", "getDiscovery", "listEmployees", "listEmployeesPage"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.Client(ctx, xink.ScopeEmployeeRead)
				if err != nil {
					return err
				}
				if _, err := c.ListEmployees(ctx); err != nil {
					return fmt.Errorf("listEmployees: %w", err)
				}
				p, err := c.ListEmployeesPage(ctx, 0, 2)
				if err != nil {
					return fmt.Errorf("listEmployeesPage: %w", err)
				}
				if emps, err := p.Employees.Get(); err == nil && len(emps) > 2 {
					return fmt.Errorf("listEmployeesPage: limit 2 gave %d employees", len(emps))
				}
				return nil
			}},
		{Name: "employees_page_invalid_limit", Description: "raw: a page limit above 500 gives 400 (the facade refuses to send it)",
			Operations: []string{"getToken", "getDiscovery", "listEmployeesPage"}, Run: func(ctx context.Context, e *Env) error {
				api, err := e.API(ctx, xink.ScopeEmployeeRead)
				if err != nil {
					return err
				}
				r, err := api.ListEmployeesPageWithResponse(ctx, 0, 501)
				return expect("listEmployeesPage", r, err, http.StatusBadRequest, r != nil && r.JSON400 != nil)
			}},
		{Name: "employees_invalid_token", Description: "raw: a token nobody issued gives 401 (the facade would fetch a fresh token)",
			Operations: []string{"getToken", "getDiscovery", "listEmployees"}, Run: func(ctx context.Context, e *Env) error {
				bad, err := e.apiRootClient(ctx, BadToken)
				if err != nil {
					return err
				}
				r, err := bad.ListEmployeesWithResponse(ctx)
				return expect("listEmployees", r, err, http.StatusUnauthorized, r != nil && r.JSON401 != nil)
			}},
		{Name: "employees_missing_scope", Description: "a valid token without employeeread gives 403 on the employee list",
			Operations: []string{"getToken", "getDiscovery", "listEmployees"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.Client(ctx, xink.ScopeEmployeeFieldsRead)
				if err != nil {
					return err
				}
				_, err = c.ListEmployees(ctx)
				if !errors.Is(err, xink.ErrForbidden) {
					return fmt.Errorf("listEmployees: %v, want xink.ErrForbidden", err)
				}
				return wantError("listEmployees", err, http.StatusForbidden)
			}},
		{Name: "employee_not_found", Description: "an unknown employee gives 404",
			Operations: []string{"getToken", "getDiscovery", "getEmployee", "getEmployeeFields"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.Client(ctx, xink.ScopeEmployeeRead, xink.ScopeEmployeeFieldsRead)
				if err != nil {
					return err
				}
				if _, err := c.GetEmployee(ctx, ctMissingEmail); !errors.Is(err, xink.ErrNotFound) {
					return fmt.Errorf("getEmployee: %v, want xink.ErrNotFound", err)
				}
				if _, err := c.GetEmployeeFields(ctx, ctMissingEmail); !errors.Is(err, xink.ErrNotFound) {
					return fmt.Errorf("getEmployeeFields: %v, want xink.ErrNotFound", err)
				}
				return nil
			}},
		{Name: "employee_create_invalid", Description: "raw: creating an employee without Email gives 400 (the facade refuses to send it)", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "createEmployee"}, Run: func(ctx context.Context, e *Env) error {
				api, err := e.API(ctx, xink.ScopeEmployeeCtrl)
				if err != nil {
					return err
				}
				r, err := api.CreateEmployeeWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"FirstName":"`+ctFirstName+`"}`))
				return expect("createEmployee", r, err, http.StatusBadRequest, r != nil && r.JSON400 != nil)
			}},
		{Name: "employee_conflict", Description: "creating an employee that exists gives 409", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "createEmployee", "deleteEmployee"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.Client(ctx, xink.ScopeEmployeeCtrl)
				if err != nil {
					return err
				}
				if err := createEmployee(ctx, e, c); err != nil {
					return err
				}
				_, err = c.CreateEmployee(ctx, xink.CreateEmployeeRequest{Email: ctEmail})
				if !errors.Is(err, xink.ErrConflict) {
					return fmt.Errorf("createEmployee again: %v, want xink.ErrConflict", err)
				}
				if err := c.DeleteEmployee(ctx, ctEmail); err != nil {
					return fmt.Errorf("deleteEmployee: %w", err)
				}
				return nil
			}},
		{Name: "employee_lifecycle", Description: "create an employee, read and set its fields and rerouting, delete it", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "createEmployee", "getEmployee", "getEmployeeFields", "setEmployeeFields",
				"getRerouting", "setRerouting", "listRerouting", "deleteEmployee"},
			Run: employeeLifecycle},
		{Name: "images", Description: "upload a PNG, list images, delete it, delete it again (404)", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "uploadImage", "listImages", "deleteImage"}, Run: imagesScenario},
		{Name: "signatures", Description: "create, read, update, assign, import and delete signature templates", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "createEmployee", "createSignature", "listSignatures", "getSignature",
				"updateSignature", "assignSignature", "getEmployeeSignatures", "importSignature", "deleteSignature", "deleteEmployee"},
			Run: signaturesScenario},
		{Name: "managed_accounts", Description: "add a client account, list and read it, remove it, read it again (404)", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "createManagedAccount", "listManagedAccounts", "getManagedAccount",
				"deleteManagedAccount"}, Run: managedAccountsScenario},
		{Name: "shared_mailboxes", Description: "create a shared mailbox, list, read, update and delete it", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "createEmployee", "createSharedMailbox", "listSharedMailboxes",
				"getSharedMailbox", "updateSharedMailbox", "deleteSharedMailbox", "deleteEmployee"}, Run: sharedMailboxesScenario},
	}
}

// apiRootClient discovers the APIRoot with a valid token and returns a
// generated client for it that sends tok instead.
func (e *Env) apiRootClient(ctx context.Context, tok string) (*xinkapi.ClientWithResponses, error) {
	good, err := e.Token(ctx, xink.ScopeEmployeeRead)
	if err != nil {
		return nil, err
	}
	auth, err := e.client(e.AuthURL, good)
	if err != nil {
		return nil, err
	}
	d, err := auth.GetDiscoveryWithResponse(ctx)
	if err := expect("getDiscovery", d, err, http.StatusOK, d != nil && d.JSON200 != nil); err != nil {
		return nil, err
	}
	return e.apiClient(d.JSON200, tok)
}

func createEmployee(ctx context.Context, e *Env, c *xink.Client) error {
	emp, err := c.CreateEmployee(ctx, xink.CreateEmployeeRequest{
		Email: ctEmail, FirstName: xink.Value(ctFirstName), LastName: xink.Value(ctLastName),
		DisplayName: xink.Value(ctDisplayName), JobTitle: xink.Value(ctJobTitle), Department: xink.Value(ctDepartment),
		Fields: []xink.FieldValue{{Name: "Mobile", Value: xink.Value(ctMobile)}},
	})
	if err != nil {
		return fmt.Errorf("createEmployee: %w", err)
	}
	e.onFailure(func(ctx context.Context) { _ = c.DeleteEmployee(ctx, ctEmail) })
	if emp.Email != ctEmail {
		return fmt.Errorf("createEmployee: answered %+v, want employee %s", emp, ctEmail)
	}
	return nil
}

func employeeLifecycle(ctx context.Context, e *Env) error {
	c, err := e.Client(ctx, xink.ScopeEmployeeRead, xink.ScopeEmployeeFieldsRead, xink.ScopeEmployeeCtrl)
	if err != nil {
		return err
	}
	if err := createEmployee(ctx, e, c); err != nil {
		return err
	}
	emp, err := c.GetEmployee(ctx, ctEmail)
	if err != nil {
		return fmt.Errorf("getEmployee: %w", err)
	}
	if v, err := emp.JobTitle.Get(); err != nil || v != ctJobTitle {
		return fmt.Errorf("getEmployee: %+v, want JobTitle %q", emp, ctJobTitle)
	}
	if _, err := c.GetEmployeeFields(ctx, ctEmail); err != nil {
		return fmt.Errorf("getEmployeeFields: %w", err)
	}
	fields, err := c.SetEmployeeFields(ctx, ctEmail,
		xink.FieldValue{Name: "JobTitle", Value: xink.Value(ctNewJobTitle)}, xink.FieldValue{Name: "Fax", Value: xink.Null[string]()})
	if err != nil {
		return fmt.Errorf("setEmployeeFields: %w", err)
	}
	if !hasField(fields, "JobTitle", ctNewJobTitle) {
		return fmt.Errorf("setEmployeeFields: answer does not show JobTitle=%q: %+v", ctNewJobTitle, fields)
	}
	if _, err := c.GetRerouting(ctx, ctEmail); err != nil {
		return fmt.Errorf("getRerouting: %w", err)
	}
	st, err := c.SetRerouting(ctx, ctEmail, xink.SetReroutingRequest{Enabled: true})
	if err != nil {
		return fmt.Errorf("setRerouting: %w", err)
	}
	if !st.Enabled {
		return fmt.Errorf("setRerouting: answer does not show Enabled=true: %+v", st)
	}
	if _, err := c.ListRerouting(ctx); err != nil {
		return fmt.Errorf("listRerouting: %w", err)
	}
	if err := c.DeleteEmployee(ctx, ctEmail); err != nil {
		return fmt.Errorf("deleteEmployee: %w", err)
	}
	if _, err := c.GetEmployee(ctx, ctEmail); !errors.Is(err, xink.ErrNotFound) {
		return fmt.Errorf("getEmployee after delete: %v, want xink.ErrNotFound", err)
	}
	return nil
}

func hasField(fields []xink.FieldValue, name, value string) bool {
	for _, f := range fields {
		if f.Name == name {
			v, err := f.Value.Get()
			return err == nil && v == value
		}
	}
	return false
}

func imagesScenario(ctx context.Context, e *Env) error {
	c, err := e.Client(ctx, xink.ScopeEmployeeSignaturesRead, xink.ScopeSignatureCtrl)
	if err != nil {
		return err
	}
	img, err := c.UploadImage(ctx, ctImageName, bytes.NewReader(pngBytes()), xink.WithImageName(ctImageName))
	if err != nil {
		return fmt.Errorf("uploadImage: %w", err)
	}
	e.onFailure(func(ctx context.Context) { _ = c.DeleteImage(ctx, img.Id) })
	if _, err := c.ListImages(ctx); err != nil {
		return fmt.Errorf("listImages: %w", err)
	}
	if err := c.DeleteImage(ctx, img.Id); err != nil {
		return fmt.Errorf("deleteImage: %w", err)
	}
	if err := c.DeleteImage(ctx, img.Id); !errors.Is(err, xink.ErrNotFound) {
		return fmt.Errorf("deleteImage again: %v, want xink.ErrNotFound", err)
	}
	return nil
}

func signaturesScenario(ctx context.Context, e *Env) error {
	c, err := e.Client(ctx, xink.ScopeEmployeeCtrl, xink.ScopeEmployeeSignaturesRead, xink.ScopeSignatureCtrl)
	if err != nil {
		return err
	}
	if err := createEmployee(ctx, e, c); err != nil {
		return err
	}
	sig, err := c.CreateSignature(ctx, xink.SignatureRequest{Name: ctSigName, Html: ctSigHTML})
	if err != nil {
		return fmt.Errorf("createSignature: %w", err)
	}
	id := sig.Id
	e.onFailure(func(ctx context.Context) { _ = c.DeleteSignature(ctx, id) })
	if _, err := c.ListSignatures(ctx); err != nil {
		return fmt.Errorf("listSignatures: %w", err)
	}
	if _, err := c.GetSignature(ctx, id); err != nil {
		return fmt.Errorf("getSignature: %w", err)
	}
	if _, err := c.UpdateSignature(ctx, id, xink.UpdateSignatureRequest{Html: xink.Ptr(ctSigHTML2)}); err != nil {
		return fmt.Errorf("updateSignature: %w", err)
	}
	if _, err := c.AssignSignature(ctx, id, xink.AssignSignatureRequest{Emails: []string{ctEmail}, DefaultNew: xink.Ptr(true), DefaultReply: xink.Ptr(true)}); err != nil {
		return fmt.Errorf("assignSignature: %w", err)
	}
	sigs, err := c.GetEmployeeSignatures(ctx, ctEmail)
	if err != nil {
		return fmt.Errorf("getEmployeeSignatures: %w", err)
	}
	if len(sigs) == 0 {
		return errors.New("getEmployeeSignatures: the assigned template is missing")
	}
	imp, err := c.ImportSignature(ctx, xink.ImportSignatureRequest{Name: ctImportName, Html: ctImportHTML, Emails: []string{ctEmail}})
	if err != nil {
		return fmt.Errorf("importSignature: %w", err)
	}
	for _, sid := range []int64{imp.Id, id} {
		if err := c.DeleteSignature(ctx, sid); err != nil {
			return fmt.Errorf("deleteSignature %d: %w", sid, err)
		}
	}
	if _, err := c.GetSignature(ctx, id); !errors.Is(err, xink.ErrNotFound) {
		return fmt.Errorf("getSignature after delete: %v, want xink.ErrNotFound", err)
	}
	if err := c.DeleteEmployee(ctx, ctEmail); err != nil {
		return fmt.Errorf("deleteEmployee: %w", err)
	}
	return nil
}

func managedAccountsScenario(ctx context.Context, e *Env) error {
	c, err := e.Client(ctx, xink.ScopeManagedAccountsRead, xink.ScopeManagedAccountsCtrl)
	if err != nil {
		return err
	}
	acc, err := c.CreateManagedAccount(ctx, xink.CreateManagedAccountRequest{Name: ctAccountName, DataCenterID: "EU", AdminEmail: xink.Value(ctAccountAdmin)})
	if err != nil {
		return fmt.Errorf("createManagedAccount: %w", err)
	}
	id := acc.AccountId
	e.onFailure(func(ctx context.Context) { _ = c.DeleteManagedAccount(ctx, id) })
	if _, err := c.ListManagedAccounts(ctx); err != nil {
		return fmt.Errorf("listManagedAccounts: %w", err)
	}
	if _, err := c.GetManagedAccount(ctx, id); err != nil {
		return fmt.Errorf("getManagedAccount: %w", err)
	}
	if err := c.DeleteManagedAccount(ctx, id); err != nil {
		return fmt.Errorf("deleteManagedAccount: %w", err)
	}
	if _, err := c.GetManagedAccount(ctx, id); !errors.Is(err, xink.ErrNotFound) {
		return fmt.Errorf("getManagedAccount after delete: %v, want xink.ErrNotFound", err)
	}
	return nil
}

func sharedMailboxesScenario(ctx context.Context, e *Env) error {
	c, err := e.Client(ctx, xink.ScopeEmployeeRead, xink.ScopeEmployeeCtrl)
	if err != nil {
		return err
	}
	if err := createEmployee(ctx, e, c); err != nil {
		return err
	}
	if _, err := c.CreateSharedMailbox(ctx, xink.CreateSharedMailboxRequest{Email: ctMailbox, DisplayName: xink.Value(ctMailboxName), Members: []string{ctEmail}}); err != nil {
		return fmt.Errorf("createSharedMailbox: %w", err)
	}
	e.onFailure(func(ctx context.Context) { _ = c.DeleteSharedMailbox(ctx, ctMailbox) })
	if _, err := c.ListSharedMailboxes(ctx); err != nil {
		return fmt.Errorf("listSharedMailboxes: %w", err)
	}
	if _, err := c.GetSharedMailbox(ctx, ctMailbox); err != nil {
		return fmt.Errorf("getSharedMailbox: %w", err)
	}
	mb, err := c.UpdateSharedMailbox(ctx, ctMailbox, xink.UpdateSharedMailboxRequest{DisplayName: xink.Value(ctMailboxName2)})
	if err != nil {
		return fmt.Errorf("updateSharedMailbox: %w", err)
	}
	if v, err := mb.DisplayName.Get(); err != nil || v != ctMailboxName2 {
		return fmt.Errorf("updateSharedMailbox: answer does not show the new name: %+v", mb)
	}
	if err := c.DeleteSharedMailbox(ctx, ctMailbox); err != nil {
		return fmt.Errorf("deleteSharedMailbox: %w", err)
	}
	if err := c.DeleteEmployee(ctx, ctEmail); err != nil {
		return fmt.Errorf("deleteEmployee: %w", err)
	}
	return nil
}
