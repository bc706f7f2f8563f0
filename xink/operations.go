package xink

import (
	"context"
	"fmt"
	"net/http"

	"github.com/oapi-codegen/nullable"

	"github.com/xink-go/xink-go/generated/xinkapi"
)

// Every method below is named after the spec's operationId (getEmployee -> GetEmployee) and
// says which route it calls; TestEveryOperationIsReachable holds the two together.

// apiCall resolves the API root (discovering it on first use) and runs call.
func apiCall[T any](ctx context.Context, c *Client, op string, send func(context.Context, *xinkapi.Client) (*http.Response, error)) (*T, error) {
	if ctx == nil {
		return nil, &ArgumentError{Operation: op, Field: "ctx", Reason: "must not be nil"}
	}
	api, err := c.apiClient(ctx)
	if err != nil {
		return nil, err
	}
	return call[T](ctx, c, op, func(ctx context.Context) (*http.Response, error) {
		return send(ctx, api)
	})
}

// Missing payloads: a 2xx answer whose payload is absent is an error ("the response has no
// Fields"), for single items (Employee, Signature, ...) and for lists alike. A list sent as
// JSON null is taken as empty (nil, no error): .NET serialises an empty reference as null.

// items returns a nullable list's items (nil when absent or null).
func items[T any](n nullable.Nullable[[]T]) []T {
	if !n.IsSpecified() || n.IsNull() {
		return nil
	}
	return n.MustGet()
}

// listOf returns a list payload: an error when the property is absent, nil when it is null.
func listOf[T any](op, what string, n nullable.Nullable[[]T]) ([]T, error) {
	if !n.IsSpecified() {
		return nil, missing(op, what)
	}
	return items(n), nil
}

// pageOf checks that an employee page carries its Employees (null is an empty page).
func pageOf(op string, page *EmployeePage, err error) (*EmployeePage, error) {
	if err != nil {
		return nil, err
	}
	if !page.Employees.IsSpecified() {
		return nil, missing(op, "Employees")
	}
	return page, nil
}

func missing(op, what string) error {
	return &opError{op: op, err: fmt.Errorf("the response has no %s", what)}
}

// GetAccountInfo returns the account the API user belongs to (operation getAccountInfo,
// GET /api/1.0/account/info). The envelope is returned as it came: every property of it is
// optional in the spec, so an answer without, say, AccountId is not an error.
func (c *Client) GetAccountInfo(ctx context.Context) (*AccountInfo, error) {
	return apiCall[AccountInfo](ctx, c, "getAccountInfo", func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetAccountInfo(ctx, acceptJSON)
	})
}

// ListEmployees returns the first page of employees with Xink's default size, 500
// (operation listEmployees, GET /api/1.0/employee/list). Employees walks all pages.
func (c *Client) ListEmployees(ctx context.Context) (*EmployeePage, error) {
	page, err := apiCall[EmployeePage](ctx, c, "listEmployees", func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ListEmployees(ctx, acceptJSON)
	})
	return pageOf("listEmployees", page, err)
}

// ListEmployeesPage returns limit employees (1 to 500) starting at offset (0 or more)
// (operation listEmployeesPage, GET /api/1.0/employee/list/{offset}/{limit}).
func (c *Client) ListEmployeesPage(ctx context.Context, offset, limit int) (*EmployeePage, error) {
	const op = "listEmployeesPage"
	if offset < 0 || offset > 1<<31-1 {
		return nil, &ArgumentError{Operation: op, Field: "offset", Reason: fmt.Sprintf("must be 0 or more, got %d", offset)}
	}
	if limit < 1 || limit > DefaultPageSize {
		return nil, &ArgumentError{Operation: op, Field: "limit", Reason: fmt.Sprintf("must be 1 to %d, got %d", DefaultPageSize, limit)}
	}
	page, err := apiCall[EmployeePage](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ListEmployeesPage(ctx, int32(offset), int32(limit), acceptJSON)
	})
	return pageOf(op, page, err)
}

// CreateEmployee creates an employee (operation createEmployee, POST /api/1.0/employee).
// Every entry of req.Fields needs a Name and a Value set with xink.Value or xink.Null;
// otherwise an *ArgumentError is returned before sending.
func (c *Client) CreateEmployee(ctx context.Context, req CreateEmployeeRequest) (*Employee, error) {
	const op = "createEmployee"
	if err := checkEmail(op, "Email", req.Email); err != nil {
		return nil, err
	}
	if err := checkFields(op, "Fields", req.Fields); err != nil {
		return nil, err
	}
	res, err := apiCall[xinkapi.EmployeeResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.CreateEmployee(ctx, req, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	if res.Employee == nil {
		return nil, missing(op, "Employee")
	}
	return res.Employee, nil
}

// checkFields refuses field values that cannot be sent as meant: an empty Name, and a Value
// never set (an unspecified Nullable is left out of the JSON, and Xink treats an absent
// Value as null, which would clear the field).
func checkFields(op, name string, fields []FieldValue) error {
	for i, f := range fields {
		if f.Name == "" {
			return &ArgumentError{Operation: op, Field: fmt.Sprintf("%s[%d].Name", name, i), Reason: "must not be empty"}
		}
		if !f.Value.IsSpecified() {
			return &ArgumentError{Operation: op, Field: fmt.Sprintf("%s[%d].Value", name, i),
				Reason: fmt.Sprintf("is not set for field %q (an absent Value would clear it): use xink.Null[string]() to clear the field or xink.Value(v) to set it", f.Name)}
		}
	}
	return nil
}

// GetEmployee returns one employee (operation getEmployee, GET /api/1.0/employee/{email}).
func (c *Client) GetEmployee(ctx context.Context, email string) (*Employee, error) {
	const op = "getEmployee"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	res, err := apiCall[xinkapi.EmployeeResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetEmployee(ctx, email, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	if res.Employee == nil {
		return nil, missing(op, "Employee")
	}
	return res.Employee, nil
}

// DeleteEmployee deletes an employee (operation deleteEmployee,
// DELETE /api/1.0/employee/{email}).
func (c *Client) DeleteEmployee(ctx context.Context, email string) error {
	const op = "deleteEmployee"
	if err := checkEmail(op, "email", email); err != nil {
		return err
	}
	_, err := apiCall[xinkapi.SuccessResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.DeleteEmployee(ctx, email, acceptJSON)
	})
	return err
}

// GetEmployeeFields returns an employee's field values (operation getEmployeeFields,
// GET /api/1.0/employee/{email}/fields).
func (c *Client) GetEmployeeFields(ctx context.Context, email string) ([]FieldValue, error) {
	const op = "getEmployeeFields"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	res, err := apiCall[EmployeeFields](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetEmployeeFields(ctx, email, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf(op, "Fields", res.Fields)
}

// SetEmployeeFields sets the named fields (others keep their values) and returns all field
// values after the change (operation setEmployeeFields, PUT /api/1.0/employee/{email}/fields).
// Each FieldValue needs a Name and a Value: xink.Value(v) sets the field, xink.Null[string]()
// clears it; a Value left unset is refused with an *ArgumentError naming its index, because
// Xink would take the absent Value as null and clear the field.
func (c *Client) SetEmployeeFields(ctx context.Context, email string, fields ...FieldValue) ([]FieldValue, error) {
	const op = "setEmployeeFields"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	if len(fields) == 0 {
		return nil, &ArgumentError{Operation: op, Field: "fields", Reason: "at least one field is needed"}
	}
	if err := checkFields(op, "fields", fields); err != nil {
		return nil, err
	}
	res, err := apiCall[EmployeeFields](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.SetEmployeeFields(ctx, email, xinkapi.SetEmployeeFieldsRequest{Fields: fields}, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf(op, "Fields", res.Fields)
}

// GetEmployeeSignatures returns the signatures rendered for an employee (operation
// getEmployeeSignatures, GET /api/1.0/employee/{email}/signatures).
func (c *Client) GetEmployeeSignatures(ctx context.Context, email string) ([]RenderedSignature, error) {
	const op = "getEmployeeSignatures"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	res, err := apiCall[EmployeeSignatures](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetEmployeeSignatures(ctx, email, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf(op, "Signatures", res.Signatures)
}

// ListImages returns the account's images (operation listImages, GET /api/1.0/image/list).
func (c *Client) ListImages(ctx context.Context) ([]Image, error) {
	res, err := apiCall[xinkapi.ImageListResult](ctx, c, "listImages", func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ListImages(ctx, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf("listImages", "Images", res.Images)
}

// DeleteImage deletes an image (operation deleteImage, DELETE /api/1.0/image/{imageId}).
func (c *Client) DeleteImage(ctx context.Context, imageID int64) error {
	const op = "deleteImage"
	if err := checkID(op, "imageID", imageID); err != nil {
		return err
	}
	_, err := apiCall[xinkapi.SuccessResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.DeleteImage(ctx, imageID, acceptJSON)
	})
	return err
}

// ListSignatures returns the signature templates (operation listSignatures,
// GET /api/1.0/signature/list).
func (c *Client) ListSignatures(ctx context.Context) ([]Signature, error) {
	res, err := apiCall[xinkapi.SignatureListResult](ctx, c, "listSignatures", func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ListSignatures(ctx, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf("listSignatures", "Signatures", res.Signatures)
}

func signatureOf(op string, res *xinkapi.SignatureResult, err error) (*Signature, error) {
	if err != nil {
		return nil, err
	}
	if res.Signature == nil {
		return nil, missing(op, "Signature")
	}
	return res.Signature, nil
}

// CreateSignature creates a signature template (operation createSignature,
// POST /api/1.0/signature).
func (c *Client) CreateSignature(ctx context.Context, req SignatureRequest) (*Signature, error) {
	const op = "createSignature"
	if req.Name == "" {
		return nil, &ArgumentError{Operation: op, Field: "Name", Reason: "must not be empty"}
	}
	if req.Html == "" {
		return nil, &ArgumentError{Operation: op, Field: "Html", Reason: "must not be empty"}
	}
	res, err := apiCall[xinkapi.SignatureResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.CreateSignature(ctx, req, acceptJSON)
	})
	return signatureOf(op, res, err)
}

// GetSignature returns a signature template (operation getSignature,
// GET /api/1.0/signature/{signatureId}).
func (c *Client) GetSignature(ctx context.Context, signatureID int64) (*Signature, error) {
	const op = "getSignature"
	if err := checkID(op, "signatureID", signatureID); err != nil {
		return nil, err
	}
	res, err := apiCall[xinkapi.SignatureResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetSignature(ctx, signatureID, acceptJSON)
	})
	return signatureOf(op, res, err)
}

// UpdateSignature changes a signature template (operation updateSignature,
// PUT /api/1.0/signature/{signatureId}).
func (c *Client) UpdateSignature(ctx context.Context, signatureID int64, req UpdateSignatureRequest) (*Signature, error) {
	const op = "updateSignature"
	if err := checkID(op, "signatureID", signatureID); err != nil {
		return nil, err
	}
	if req.Name == nil && req.Html == nil && !req.PlainText.IsSpecified() {
		return nil, &ArgumentError{Operation: op, Field: "req", Reason: "set at least one of Name, Html, PlainText"}
	}
	res, err := apiCall[xinkapi.SignatureResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.UpdateSignature(ctx, signatureID, req, acceptJSON)
	})
	return signatureOf(op, res, err)
}

// DeleteSignature deletes a signature template (operation deleteSignature,
// DELETE /api/1.0/signature/{signatureId}).
func (c *Client) DeleteSignature(ctx context.Context, signatureID int64) error {
	const op = "deleteSignature"
	if err := checkID(op, "signatureID", signatureID); err != nil {
		return err
	}
	_, err := apiCall[xinkapi.SuccessResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.DeleteSignature(ctx, signatureID, acceptJSON)
	})
	return err
}

// AssignSignature assigns a template to employees (operation assignSignature,
// POST /api/1.0/signature/{signatureId}/assign). The result envelope is returned as it came
// (its properties are optional in the spec; Success true is the answer).
func (c *Client) AssignSignature(ctx context.Context, signatureID int64, req AssignSignatureRequest) (*AssignSignatureResult, error) {
	const op = "assignSignature"
	if err := checkID(op, "signatureID", signatureID); err != nil {
		return nil, err
	}
	if len(req.Emails) == 0 {
		return nil, &ArgumentError{Operation: op, Field: "Emails", Reason: "at least one email is needed"}
	}
	for i, e := range req.Emails {
		if err := checkEmail(op, fmt.Sprintf("Emails[%d]", i), e); err != nil {
			return nil, err
		}
	}
	return apiCall[AssignSignatureResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.AssignSignature(ctx, signatureID, req, acceptJSON)
	})
}

// ImportSignature imports an existing HTML signature as a new template (operation
// importSignature, POST /api/1.0/signatureimport).
func (c *Client) ImportSignature(ctx context.Context, req ImportSignatureRequest) (*Signature, error) {
	const op = "importSignature"
	if req.Name == "" {
		return nil, &ArgumentError{Operation: op, Field: "Name", Reason: "must not be empty"}
	}
	if req.Html == "" {
		return nil, &ArgumentError{Operation: op, Field: "Html", Reason: "must not be empty"}
	}
	for i, e := range req.Emails {
		if err := checkEmail(op, fmt.Sprintf("Emails[%d]", i), e); err != nil {
			return nil, err
		}
	}
	res, err := apiCall[xinkapi.SignatureResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ImportSignature(ctx, req, acceptJSON)
	})
	return signatureOf(op, res, err)
}

// ListRerouting returns every employee's rerouting state (operation listRerouting,
// GET /api/1.0/rerouting/list).
func (c *Client) ListRerouting(ctx context.Context) ([]ReroutingState, error) {
	res, err := apiCall[xinkapi.ReroutingListResult](ctx, c, "listRerouting", func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ListRerouting(ctx, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf("listRerouting", "Rerouting", res.Rerouting)
}

func reroutingOf(op string, res *xinkapi.ReroutingResult, err error) (*ReroutingState, error) {
	if err != nil {
		return nil, err
	}
	if res.Rerouting == nil {
		return nil, missing(op, "Rerouting")
	}
	return res.Rerouting, nil
}

// GetRerouting returns one employee's rerouting state (operation getRerouting,
// GET /api/1.0/rerouting/{email}).
func (c *Client) GetRerouting(ctx context.Context, email string) (*ReroutingState, error) {
	const op = "getRerouting"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	res, err := apiCall[xinkapi.ReroutingResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetRerouting(ctx, email, acceptJSON)
	})
	return reroutingOf(op, res, err)
}

// SetRerouting enables or disables rerouting for one employee (operation setRerouting,
// PUT /api/1.0/rerouting/{email}).
func (c *Client) SetRerouting(ctx context.Context, email string, req SetReroutingRequest) (*ReroutingState, error) {
	const op = "setRerouting"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	res, err := apiCall[xinkapi.ReroutingResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.SetRerouting(ctx, email, req, acceptJSON)
	})
	return reroutingOf(op, res, err)
}

// ListManagedAccounts returns a partner's client accounts (operation listManagedAccounts,
// GET /api/1.0/managedaccounts/list).
func (c *Client) ListManagedAccounts(ctx context.Context) ([]ManagedAccount, error) {
	res, err := apiCall[xinkapi.ManagedAccountListResult](ctx, c, "listManagedAccounts", func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ListManagedAccounts(ctx, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf("listManagedAccounts", "Accounts", res.Accounts)
}

func accountOf(op string, res *xinkapi.ManagedAccountResult, err error) (*ManagedAccount, error) {
	if err != nil {
		return nil, err
	}
	if res.Account == nil {
		return nil, missing(op, "Account")
	}
	return res.Account, nil
}

// GetManagedAccount returns one client account (operation getManagedAccount,
// GET /api/1.0/managedaccounts/{accountId}).
func (c *Client) GetManagedAccount(ctx context.Context, accountID string) (*ManagedAccount, error) {
	const op = "getManagedAccount"
	if err := checkPathString(op, "accountID", accountID); err != nil {
		return nil, err
	}
	res, err := apiCall[xinkapi.ManagedAccountResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetManagedAccount(ctx, accountID, acceptJSON)
	})
	return accountOf(op, res, err)
}

// CreateManagedAccount adds a client account (operation createManagedAccount,
// POST /api/1.0/managedaccounts).
func (c *Client) CreateManagedAccount(ctx context.Context, req CreateManagedAccountRequest) (*ManagedAccount, error) {
	const op = "createManagedAccount"
	if req.Name == "" {
		return nil, &ArgumentError{Operation: op, Field: "Name", Reason: "must not be empty"}
	}
	if !req.DataCenterID.Valid() {
		return nil, &ArgumentError{Operation: op, Field: "DataCenterID", Reason: fmt.Sprintf("%q is not one of US, EU, UK, CA, AU", req.DataCenterID)}
	}
	res, err := apiCall[xinkapi.ManagedAccountResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.CreateManagedAccount(ctx, req, acceptJSON)
	})
	return accountOf(op, res, err)
}

// DeleteManagedAccount removes a client account (operation deleteManagedAccount,
// DELETE /api/1.0/managedaccounts/{accountId}).
func (c *Client) DeleteManagedAccount(ctx context.Context, accountID string) error {
	const op = "deleteManagedAccount"
	if err := checkPathString(op, "accountID", accountID); err != nil {
		return err
	}
	_, err := apiCall[xinkapi.SuccessResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.DeleteManagedAccount(ctx, accountID, acceptJSON)
	})
	return err
}

// ListSharedMailboxes returns the shared mailboxes (operation listSharedMailboxes,
// GET /api/1.0/sharedmailbox/list).
func (c *Client) ListSharedMailboxes(ctx context.Context) ([]SharedMailbox, error) {
	res, err := apiCall[xinkapi.SharedMailboxListResult](ctx, c, "listSharedMailboxes", func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.ListSharedMailboxes(ctx, acceptJSON)
	})
	if err != nil {
		return nil, err
	}
	return listOf("listSharedMailboxes", "Mailboxes", res.Mailboxes)
}

func mailboxOf(op string, res *xinkapi.SharedMailboxResult, err error) (*SharedMailbox, error) {
	if err != nil {
		return nil, err
	}
	if res.Mailbox == nil {
		return nil, missing(op, "Mailbox")
	}
	return res.Mailbox, nil
}

// GetSharedMailbox returns one shared mailbox (operation getSharedMailbox,
// GET /api/1.0/sharedmailbox/{email}).
func (c *Client) GetSharedMailbox(ctx context.Context, email string) (*SharedMailbox, error) {
	const op = "getSharedMailbox"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	res, err := apiCall[xinkapi.SharedMailboxResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.GetSharedMailbox(ctx, email, acceptJSON)
	})
	return mailboxOf(op, res, err)
}

// CreateSharedMailbox creates a shared mailbox (operation createSharedMailbox,
// POST /api/1.0/sharedmailbox).
func (c *Client) CreateSharedMailbox(ctx context.Context, req CreateSharedMailboxRequest) (*SharedMailbox, error) {
	const op = "createSharedMailbox"
	if err := checkEmail(op, "Email", req.Email); err != nil {
		return nil, err
	}
	for i, m := range req.Members {
		if err := checkEmail(op, fmt.Sprintf("Members[%d]", i), m); err != nil {
			return nil, err
		}
	}
	res, err := apiCall[xinkapi.SharedMailboxResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.CreateSharedMailbox(ctx, req, acceptJSON)
	})
	return mailboxOf(op, res, err)
}

// UpdateSharedMailbox changes a shared mailbox's display name, members or signature
// (operation updateSharedMailbox, PUT /api/1.0/sharedmailbox/{email}).
func (c *Client) UpdateSharedMailbox(ctx context.Context, email string, req UpdateSharedMailboxRequest) (*SharedMailbox, error) {
	const op = "updateSharedMailbox"
	if err := checkEmail(op, "email", email); err != nil {
		return nil, err
	}
	for i, m := range req.Members {
		if err := checkEmail(op, fmt.Sprintf("Members[%d]", i), m); err != nil {
			return nil, err
		}
	}
	if !req.DisplayName.IsSpecified() && req.Members == nil && !req.SignatureId.IsSpecified() {
		return nil, &ArgumentError{Operation: op, Field: "req", Reason: "set at least one of DisplayName, Members, SignatureId"}
	}
	res, err := apiCall[xinkapi.SharedMailboxResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.UpdateSharedMailbox(ctx, email, req, acceptJSON)
	})
	return mailboxOf(op, res, err)
}

// DeleteSharedMailbox deletes a shared mailbox (operation deleteSharedMailbox,
// DELETE /api/1.0/sharedmailbox/{email}).
func (c *Client) DeleteSharedMailbox(ctx context.Context, email string) error {
	const op = "deleteSharedMailbox"
	if err := checkEmail(op, "email", email); err != nil {
		return err
	}
	_, err := apiCall[xinkapi.SuccessResult](ctx, c, op, func(ctx context.Context, api *xinkapi.Client) (*http.Response, error) {
		return api.DeleteSharedMailbox(ctx, email, acceptJSON)
	})
	return err
}
