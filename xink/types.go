package xink

import (
	"github.com/oapi-codegen/nullable"

	"github.com/xink-go/xink-go/generated/xinkapi"
)

// Model types, re-exported from the generated package so callers need only import xink.
// Optional .NET reference properties are nullable.Nullable[T]: use Value/Get and IsNull to
// tell null from absent, and nullable.NewNullableWithValue to set one.
type (
	// AccountInfo is the account the API user belongs to.
	AccountInfo = xinkapi.AccountInfoResult
	// Employee is an employee as the employee list and getEmployee return it.
	Employee = xinkapi.Employee
	// EmployeePage is one page of the employee list, with the total count.
	EmployeePage = xinkapi.EmployeeListResult
	// CreateEmployeeRequest describes a new employee.
	CreateEmployeeRequest = xinkapi.CreateEmployeeRequest
	// FieldValue is one named field value (e.g. JobTitle) signatures are rendered from.
	FieldValue = xinkapi.FieldValue
	// EmployeeFields is an employee's field values.
	EmployeeFields = xinkapi.EmployeeFieldsResult
	// RenderedSignature is a template rendered for one employee.
	RenderedSignature = xinkapi.RenderedSignature
	// EmployeeSignatures is an employee's rendered signatures.
	EmployeeSignatures = xinkapi.EmployeeSignaturesResult
	// Image is an uploaded image, served from ImgRoot.
	Image = xinkapi.Image
	// Signature is a signature template (HTML with ((FieldName)) placeholders).
	Signature = xinkapi.Signature
	// SignatureRequest describes a new signature template.
	SignatureRequest = xinkapi.SignatureRequest
	// UpdateSignatureRequest changes a signature template; fields left nil keep their value.
	UpdateSignatureRequest = xinkapi.UpdateSignatureRequest
	// AssignSignatureRequest names employees to assign a template to.
	AssignSignatureRequest = xinkapi.AssignSignatureRequest
	// AssignSignatureResult is the outcome of an assignment.
	AssignSignatureResult = xinkapi.AssignSignatureResult
	// ImportSignatureRequest is an existing HTML signature to import as a template.
	ImportSignatureRequest = xinkapi.ImportSignatureRequest
	// ReroutingState is one employee's server-side signing (rerouting) state.
	ReroutingState = xinkapi.ReroutingState
	// SetReroutingRequest enables or disables rerouting for one employee.
	SetReroutingRequest = xinkapi.SetReroutingRequest
	// ManagedAccount is a partner's client account.
	ManagedAccount = xinkapi.ManagedAccount
	// CreateManagedAccountRequest describes a new client account.
	CreateManagedAccountRequest = xinkapi.CreateManagedAccountRequest
	// DataCenterID names a Xink data center (US, EU, UK, CA, AU).
	DataCenterID = xinkapi.DataCenterID
	// SharedMailbox is a shared mailbox, its members and signature.
	SharedMailbox = xinkapi.SharedMailbox
	// CreateSharedMailboxRequest describes a new shared mailbox.
	CreateSharedMailboxRequest = xinkapi.CreateSharedMailboxRequest
	// UpdateSharedMailboxRequest changes a shared mailbox.
	UpdateSharedMailboxRequest = xinkapi.UpdateSharedMailboxRequest
)

// Value returns a nullable holding v, for the optional fields of request types.
func Value[T any](v T) nullable.Nullable[T] { return nullable.NewNullableWithValue(v) }

// Null returns an explicit JSON null, e.g. to clear a field with SetEmployeeFields.
func Null[T any]() nullable.Nullable[T] { return nullable.NewNullNullable[T]() }

// Ptr returns a pointer to v, for the optional non-nullable fields of request types.
func Ptr[T any](v T) *T { return &v }
