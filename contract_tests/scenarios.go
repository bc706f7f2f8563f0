package contracttests

import (
	"bytes"
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"

	"github.com/oapi-codegen/nullable"

	"github.com/xink-go/xink-go/generated/xinkapi"
)

// The seven documented scopes.
const (
	ScopeEmployeeRead           = "employeeread"
	ScopeEmployeeFieldsRead     = "employeefieldsread"
	ScopeEmployeeCtrl           = "employeectrl"
	ScopeEmployeeSignaturesRead = "employeesignaturesread"
	ScopeSignatureCtrl          = "signaturectrl"
	ScopeManagedAccountsRead    = "managedaccountsread"
	ScopeManagedAccountsCtrl    = "managedaccountsctrl"
)

// AllScopes lists every documented scope.
var AllScopes = []string{ScopeEmployeeRead, ScopeEmployeeFieldsRead, ScopeEmployeeCtrl, ScopeEmployeeSignaturesRead,
	ScopeSignatureCtrl, ScopeManagedAccountsRead, ScopeManagedAccountsCtrl}

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

// pngBytes is a valid 1x1 PNG.
var pngBytes, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=")

// Scenario is one named sequence of calls with its expected outcomes. The
// same list runs against the mock, the recordings and the live API.
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

// Token gets a token for scopes with the client credentials in the form.
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
// main error paths (400, 401, 403, 404).
func Scenarios() []Scenario {
	return []Scenario{
		{Name: "token", Description: "client-credentials token with every scope (form credentials)",
			Operations: []string{"getToken"}, Run: func(ctx context.Context, e *Env) error {
				_, err := e.Token(ctx, AllScopes...)
				return err
			}},
		{Name: "token_invalid_client", Description: "a wrong client secret gives 401 invalid_client",
			Operations: []string{"getToken"}, Run: func(ctx context.Context, e *Env) error {
				c, err := e.client(e.AuthURL, "")
				if err != nil {
					return err
				}
				scope := ScopeEmployeeRead
				r, err := c.GetTokenWithFormdataBodyWithResponse(ctx, xinkapi.GetTokenFormdataRequestBody{
					GrantType: "client_credentials", Scope: &scope, ClientId: &e.ClientID, ClientSecret: str(e.ClientSecret + "-wrong")})
				if err := expect("getToken", r, err, http.StatusUnauthorized, r != nil && r.JSON401 != nil); err != nil {
					return err
				}
				if r.JSON401.Error != "invalid_client" {
					return fmt.Errorf("getToken: error %q, want invalid_client", r.JSON401.Error)
				}
				return nil
			}},
		{Name: "token_invalid_scope", Description: "an unknown scope gives 400 invalid_scope",
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
				_, err := e.API(ctx, ScopeEmployeeRead)
				return err
			}},
		{Name: "discovery_without_token", Description: "discovery without a token gives 401",
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
				api, err := e.API(ctx, ScopeEmployeeRead)
				if err != nil {
					return err
				}
				r, err := api.GetAccountInfoWithResponse(ctx)
				return expect("getAccountInfo", r, err, http.StatusOK, r != nil && r.JSON200 != nil)
			}},
		{Name: "employees_list", Description: "the employee list, default route and one page",
			Operations: []string{"getToken", "getDiscovery", "listEmployees", "listEmployeesPage"}, Run: func(ctx context.Context, e *Env) error {
				api, err := e.API(ctx, ScopeEmployeeRead)
				if err != nil {
					return err
				}
				r, err := api.ListEmployeesWithResponse(ctx)
				if err := expect("listEmployees", r, err, http.StatusOK, r != nil && r.JSON200 != nil); err != nil {
					return err
				}
				p, err := api.ListEmployeesPageWithResponse(ctx, 0, 2)
				if err := expect("listEmployeesPage", p, err, http.StatusOK, p != nil && p.JSON200 != nil); err != nil {
					return err
				}
				if emps, err := p.JSON200.Employees.Get(); err == nil && len(emps) > 2 {
					return fmt.Errorf("listEmployeesPage: limit 2 gave %d employees", len(emps))
				}
				return nil
			}},
		{Name: "employees_page_invalid_limit", Description: "a page limit above 500 gives 400",
			Operations: []string{"getToken", "getDiscovery", "listEmployeesPage"}, Run: func(ctx context.Context, e *Env) error {
				api, err := e.API(ctx, ScopeEmployeeRead)
				if err != nil {
					return err
				}
				r, err := api.ListEmployeesPageWithResponse(ctx, 0, 501)
				return expect("listEmployeesPage", r, err, http.StatusBadRequest, r != nil && r.JSON400 != nil)
			}},
		{Name: "employees_invalid_token", Description: "a token nobody issued gives 401",
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
				api, err := e.API(ctx, ScopeEmployeeFieldsRead)
				if err != nil {
					return err
				}
				r, err := api.ListEmployeesWithResponse(ctx)
				return expect("listEmployees", r, err, http.StatusForbidden, r != nil && r.JSON403 != nil)
			}},
		{Name: "employee_not_found", Description: "an unknown employee gives 404",
			Operations: []string{"getToken", "getDiscovery", "getEmployee", "getEmployeeFields"}, Run: func(ctx context.Context, e *Env) error {
				api, err := e.API(ctx, ScopeEmployeeRead, ScopeEmployeeFieldsRead)
				if err != nil {
					return err
				}
				r, err := api.GetEmployeeWithResponse(ctx, ctMissingEmail)
				if err := expect("getEmployee", r, err, http.StatusNotFound, r != nil && r.JSON404 != nil); err != nil {
					return err
				}
				f, err := api.GetEmployeeFieldsWithResponse(ctx, ctMissingEmail)
				return expect("getEmployeeFields", f, err, http.StatusNotFound, f != nil && f.JSON404 != nil)
			}},
		{Name: "employee_create_invalid", Description: "creating an employee without Email gives 400", Writes: true,
			Operations: []string{"getToken", "getDiscovery", "createEmployee"}, Run: func(ctx context.Context, e *Env) error {
				api, err := e.API(ctx, ScopeEmployeeCtrl)
				if err != nil {
					return err
				}
				r, err := api.CreateEmployeeWithBodyWithResponse(ctx, "application/json", strings.NewReader(`{"FirstName":"`+ctFirstName+`"}`))
				return expect("createEmployee", r, err, http.StatusBadRequest, r != nil && r.JSON400 != nil)
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
// client for it that sends tok instead.
func (e *Env) apiRootClient(ctx context.Context, tok string) (*xinkapi.ClientWithResponses, error) {
	good, err := e.Token(ctx, ScopeEmployeeRead)
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

func createEmployee(ctx context.Context, e *Env, api *xinkapi.ClientWithResponses) error {
	r, err := api.CreateEmployeeWithResponse(ctx, xinkapi.CreateEmployeeJSONRequestBody{
		Email: ctEmail, FirstName: nullable.NewNullableWithValue(ctFirstName), LastName: nullable.NewNullableWithValue(ctLastName),
		DisplayName: nullable.NewNullableWithValue(ctDisplayName), JobTitle: nullable.NewNullableWithValue(ctJobTitle),
		Department: nullable.NewNullableWithValue(ctDepartment),
		Fields:     []xinkapi.FieldValue{{Name: "Mobile", Value: nullable.NewNullableWithValue(ctMobile)}},
	})
	if err := expect("createEmployee", r, err, http.StatusOK, r != nil && r.JSON200 != nil); err != nil {
		return err
	}
	e.onFailure(func(ctx context.Context) { _, _ = api.DeleteEmployee(ctx, ctEmail) })
	if r.JSON200.Employee == nil || r.JSON200.Employee.Email != ctEmail {
		return fmt.Errorf("createEmployee: answered %+v, want employee %s", r.JSON200.Employee, ctEmail)
	}
	return nil
}

func deleteEmployee(ctx context.Context, api *xinkapi.ClientWithResponses) error {
	r, err := api.DeleteEmployeeWithResponse(ctx, ctEmail)
	return expect("deleteEmployee", r, err, http.StatusOK, r != nil && r.JSON200 != nil)
}

func employeeLifecycle(ctx context.Context, e *Env) error {
	api, err := e.API(ctx, ScopeEmployeeRead, ScopeEmployeeFieldsRead, ScopeEmployeeCtrl)
	if err != nil {
		return err
	}
	if err := createEmployee(ctx, e, api); err != nil {
		return err
	}
	g, err := api.GetEmployeeWithResponse(ctx, ctEmail)
	if err := expect("getEmployee", g, err, http.StatusOK, g != nil && g.JSON200 != nil); err != nil {
		return err
	}
	if g.JSON200.Employee == nil || g.JSON200.Employee.JobTitle.MustGet() != ctJobTitle {
		return fmt.Errorf("getEmployee: %+v, want JobTitle %q", g.JSON200.Employee, ctJobTitle)
	}
	f, err := api.GetEmployeeFieldsWithResponse(ctx, ctEmail)
	if err := expect("getEmployeeFields", f, err, http.StatusOK, f != nil && f.JSON200 != nil); err != nil {
		return err
	}
	s, err := api.SetEmployeeFieldsWithResponse(ctx, ctEmail, xinkapi.SetEmployeeFieldsJSONRequestBody{
		Fields: []xinkapi.FieldValue{{Name: "JobTitle", Value: nullable.NewNullableWithValue(ctNewJobTitle)}, {Name: "Fax", Value: nullable.NewNullNullable[string]()}}})
	if err := expect("setEmployeeFields", s, err, http.StatusOK, s != nil && s.JSON200 != nil); err != nil {
		return err
	}
	if !hasField(s.JSON200.Fields, "JobTitle", ctNewJobTitle) {
		return fmt.Errorf("setEmployeeFields: answer does not show JobTitle=%q: %s", ctNewJobTitle, s.Body)
	}
	gr, err := api.GetReroutingWithResponse(ctx, ctEmail)
	if err := expect("getRerouting", gr, err, http.StatusOK, gr != nil && gr.JSON200 != nil); err != nil {
		return err
	}
	sr, err := api.SetReroutingWithResponse(ctx, ctEmail, xinkapi.SetReroutingJSONRequestBody{Enabled: true})
	if err := expect("setRerouting", sr, err, http.StatusOK, sr != nil && sr.JSON200 != nil); err != nil {
		return err
	}
	if sr.JSON200.Rerouting == nil || !sr.JSON200.Rerouting.Enabled {
		return fmt.Errorf("setRerouting: answer does not show Enabled=true: %s", sr.Body)
	}
	lr, err := api.ListReroutingWithResponse(ctx)
	if err := expect("listRerouting", lr, err, http.StatusOK, lr != nil && lr.JSON200 != nil); err != nil {
		return err
	}
	if err := deleteEmployee(ctx, api); err != nil {
		return err
	}
	g, err = api.GetEmployeeWithResponse(ctx, ctEmail)
	return expect("getEmployee after delete", g, err, http.StatusNotFound, g != nil && g.JSON404 != nil)
}

func hasField(fields nullable.Nullable[[]xinkapi.FieldValue], name, value string) bool {
	fs, err := fields.Get()
	if err != nil {
		return false
	}
	for _, f := range fs {
		if f.Name == name {
			v, err := f.Value.Get()
			return err == nil && v == value
		}
	}
	return false
}

func imagesScenario(ctx context.Context, e *Env) error {
	api, err := e.API(ctx, ScopeEmployeeSignaturesRead, ScopeSignatureCtrl)
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", `form-data; name="file"; filename="`+ctImageName+`"`)
	h.Set("Content-Type", "image/png")
	w, err := mw.CreatePart(h)
	if err != nil {
		return err
	}
	if _, err := w.Write(pngBytes); err != nil {
		return err
	}
	if err := mw.WriteField("Name", ctImageName); err != nil {
		return err
	}
	if err := mw.Close(); err != nil {
		return err
	}
	u, err := api.UploadImageWithBodyWithResponse(ctx, mw.FormDataContentType(), &buf)
	if err := expect("uploadImage", u, err, http.StatusOK, u != nil && u.JSON200 != nil); err != nil {
		return err
	}
	if u.JSON200.Image == nil {
		return fmt.Errorf("uploadImage: no Image in %s", u.Body)
	}
	id := u.JSON200.Image.Id
	e.onFailure(func(ctx context.Context) { _, _ = api.DeleteImage(ctx, id) })
	l, err := api.ListImagesWithResponse(ctx)
	if err := expect("listImages", l, err, http.StatusOK, l != nil && l.JSON200 != nil); err != nil {
		return err
	}
	d, err := api.DeleteImageWithResponse(ctx, id)
	if err := expect("deleteImage", d, err, http.StatusOK, d != nil && d.JSON200 != nil); err != nil {
		return err
	}
	d, err = api.DeleteImageWithResponse(ctx, id)
	return expect("deleteImage again", d, err, http.StatusNotFound, d != nil && d.JSON404 != nil)
}

func signaturesScenario(ctx context.Context, e *Env) error {
	api, err := e.API(ctx, ScopeEmployeeCtrl, ScopeEmployeeSignaturesRead, ScopeSignatureCtrl)
	if err != nil {
		return err
	}
	if err := createEmployee(ctx, e, api); err != nil {
		return err
	}
	c, err := api.CreateSignatureWithResponse(ctx, xinkapi.CreateSignatureJSONRequestBody{Name: ctSigName, Html: ctSigHTML})
	if err := expect("createSignature", c, err, http.StatusOK, c != nil && c.JSON200 != nil && c.JSON200.Signature != nil); err != nil {
		return err
	}
	id := c.JSON200.Signature.Id
	e.onFailure(func(ctx context.Context) { _, _ = api.DeleteSignature(ctx, id) })
	l, err := api.ListSignaturesWithResponse(ctx)
	if err := expect("listSignatures", l, err, http.StatusOK, l != nil && l.JSON200 != nil); err != nil {
		return err
	}
	g, err := api.GetSignatureWithResponse(ctx, id)
	if err := expect("getSignature", g, err, http.StatusOK, g != nil && g.JSON200 != nil); err != nil {
		return err
	}
	u, err := api.UpdateSignatureWithResponse(ctx, id, xinkapi.UpdateSignatureJSONRequestBody{Html: str(ctSigHTML2)})
	if err := expect("updateSignature", u, err, http.StatusOK, u != nil && u.JSON200 != nil); err != nil {
		return err
	}
	yes := true
	a, err := api.AssignSignatureWithResponse(ctx, id, xinkapi.AssignSignatureJSONRequestBody{Emails: []string{ctEmail}, DefaultNew: &yes, DefaultReply: &yes})
	if err := expect("assignSignature", a, err, http.StatusOK, a != nil && a.JSON200 != nil); err != nil {
		return err
	}
	es, err := api.GetEmployeeSignaturesWithResponse(ctx, ctEmail)
	if err := expect("getEmployeeSignatures", es, err, http.StatusOK, es != nil && es.JSON200 != nil); err != nil {
		return err
	}
	if sigs, err := es.JSON200.Signatures.Get(); err != nil || len(sigs) == 0 {
		return fmt.Errorf("getEmployeeSignatures: the assigned template is missing: %s", es.Body)
	}
	im, err := api.ImportSignatureWithResponse(ctx, xinkapi.ImportSignatureJSONRequestBody{Name: ctImportName, Html: ctImportHTML, Emails: []string{ctEmail}})
	if err := expect("importSignature", im, err, http.StatusOK, im != nil && im.JSON200 != nil && im.JSON200.Signature != nil); err != nil {
		return err
	}
	imported := im.JSON200.Signature.Id
	for _, sid := range []int64{imported, id} {
		d, err := api.DeleteSignatureWithResponse(ctx, sid)
		if err := expect("deleteSignature", d, err, http.StatusOK, d != nil && d.JSON200 != nil); err != nil {
			return err
		}
	}
	g, err = api.GetSignatureWithResponse(ctx, id)
	if err := expect("getSignature after delete", g, err, http.StatusNotFound, g != nil && g.JSON404 != nil); err != nil {
		return err
	}
	return deleteEmployee(ctx, api)
}

func managedAccountsScenario(ctx context.Context, e *Env) error {
	api, err := e.API(ctx, ScopeManagedAccountsRead, ScopeManagedAccountsCtrl)
	if err != nil {
		return err
	}
	c, err := api.CreateManagedAccountWithResponse(ctx, xinkapi.CreateManagedAccountJSONRequestBody{
		Name: ctAccountName, DataCenterID: "EU", AdminEmail: nullable.NewNullableWithValue(ctAccountAdmin)})
	if err := expect("createManagedAccount", c, err, http.StatusOK, c != nil && c.JSON200 != nil && c.JSON200.Account != nil); err != nil {
		return err
	}
	id := c.JSON200.Account.AccountId
	e.onFailure(func(ctx context.Context) { _, _ = api.DeleteManagedAccount(ctx, id) })
	l, err := api.ListManagedAccountsWithResponse(ctx)
	if err := expect("listManagedAccounts", l, err, http.StatusOK, l != nil && l.JSON200 != nil); err != nil {
		return err
	}
	g, err := api.GetManagedAccountWithResponse(ctx, id)
	if err := expect("getManagedAccount", g, err, http.StatusOK, g != nil && g.JSON200 != nil); err != nil {
		return err
	}
	d, err := api.DeleteManagedAccountWithResponse(ctx, id)
	if err := expect("deleteManagedAccount", d, err, http.StatusOK, d != nil && d.JSON200 != nil); err != nil {
		return err
	}
	g, err = api.GetManagedAccountWithResponse(ctx, id)
	return expect("getManagedAccount after delete", g, err, http.StatusNotFound, g != nil && g.JSON404 != nil)
}

func sharedMailboxesScenario(ctx context.Context, e *Env) error {
	api, err := e.API(ctx, ScopeEmployeeRead, ScopeEmployeeCtrl)
	if err != nil {
		return err
	}
	if err := createEmployee(ctx, e, api); err != nil {
		return err
	}
	c, err := api.CreateSharedMailboxWithResponse(ctx, xinkapi.CreateSharedMailboxJSONRequestBody{
		Email: ctMailbox, DisplayName: nullable.NewNullableWithValue(ctMailboxName), Members: []string{ctEmail}})
	if err := expect("createSharedMailbox", c, err, http.StatusOK, c != nil && c.JSON200 != nil); err != nil {
		return err
	}
	e.onFailure(func(ctx context.Context) { _, _ = api.DeleteSharedMailbox(ctx, ctMailbox) })
	l, err := api.ListSharedMailboxesWithResponse(ctx)
	if err := expect("listSharedMailboxes", l, err, http.StatusOK, l != nil && l.JSON200 != nil); err != nil {
		return err
	}
	g, err := api.GetSharedMailboxWithResponse(ctx, ctMailbox)
	if err := expect("getSharedMailbox", g, err, http.StatusOK, g != nil && g.JSON200 != nil); err != nil {
		return err
	}
	u, err := api.UpdateSharedMailboxWithResponse(ctx, ctMailbox, xinkapi.UpdateSharedMailboxJSONRequestBody{DisplayName: nullable.NewNullableWithValue(ctMailboxName2)})
	if err := expect("updateSharedMailbox", u, err, http.StatusOK, u != nil && u.JSON200 != nil); err != nil {
		return err
	}
	if u.JSON200.Mailbox == nil || u.JSON200.Mailbox.DisplayName.MustGet() != ctMailboxName2 {
		return fmt.Errorf("updateSharedMailbox: answer does not show the new name: %s", u.Body)
	}
	d, err := api.DeleteSharedMailboxWithResponse(ctx, ctMailbox)
	if err := expect("deleteSharedMailbox", d, err, http.StatusOK, d != nil && d.JSON200 != nil); err != nil {
		return err
	}
	return deleteEmployee(ctx, api)
}
