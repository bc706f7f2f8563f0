package conform

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"reflect"
	"strings"

	"github.com/google/go-cmp/cmp"

	"github.com/xink-go/xink-go/generated/xinkapi"
)

// parsers maps every operationId to the generated client's response parser.
var parsers = map[string]func(*http.Response) (any, error){
	"getToken":              func(r *http.Response) (any, error) { return xinkapi.ParseGetTokenResponse(r) },
	"getDiscovery":          func(r *http.Response) (any, error) { return xinkapi.ParseGetDiscoveryResponse(r) },
	"getAccountInfo":        func(r *http.Response) (any, error) { return xinkapi.ParseGetAccountInfoResponse(r) },
	"listEmployees":         func(r *http.Response) (any, error) { return xinkapi.ParseListEmployeesResponse(r) },
	"listEmployeesPage":     func(r *http.Response) (any, error) { return xinkapi.ParseListEmployeesPageResponse(r) },
	"createEmployee":        func(r *http.Response) (any, error) { return xinkapi.ParseCreateEmployeeResponse(r) },
	"getEmployee":           func(r *http.Response) (any, error) { return xinkapi.ParseGetEmployeeResponse(r) },
	"deleteEmployee":        func(r *http.Response) (any, error) { return xinkapi.ParseDeleteEmployeeResponse(r) },
	"getEmployeeFields":     func(r *http.Response) (any, error) { return xinkapi.ParseGetEmployeeFieldsResponse(r) },
	"setEmployeeFields":     func(r *http.Response) (any, error) { return xinkapi.ParseSetEmployeeFieldsResponse(r) },
	"getEmployeeSignatures": func(r *http.Response) (any, error) { return xinkapi.ParseGetEmployeeSignaturesResponse(r) },
	"listImages":            func(r *http.Response) (any, error) { return xinkapi.ParseListImagesResponse(r) },
	"uploadImage":           func(r *http.Response) (any, error) { return xinkapi.ParseUploadImageResponse(r) },
	"deleteImage":           func(r *http.Response) (any, error) { return xinkapi.ParseDeleteImageResponse(r) },
	"listSignatures":        func(r *http.Response) (any, error) { return xinkapi.ParseListSignaturesResponse(r) },
	"createSignature":       func(r *http.Response) (any, error) { return xinkapi.ParseCreateSignatureResponse(r) },
	"getSignature":          func(r *http.Response) (any, error) { return xinkapi.ParseGetSignatureResponse(r) },
	"updateSignature":       func(r *http.Response) (any, error) { return xinkapi.ParseUpdateSignatureResponse(r) },
	"deleteSignature":       func(r *http.Response) (any, error) { return xinkapi.ParseDeleteSignatureResponse(r) },
	"assignSignature":       func(r *http.Response) (any, error) { return xinkapi.ParseAssignSignatureResponse(r) },
	"importSignature":       func(r *http.Response) (any, error) { return xinkapi.ParseImportSignatureResponse(r) },
	"listRerouting":         func(r *http.Response) (any, error) { return xinkapi.ParseListReroutingResponse(r) },
	"getRerouting":          func(r *http.Response) (any, error) { return xinkapi.ParseGetReroutingResponse(r) },
	"setRerouting":          func(r *http.Response) (any, error) { return xinkapi.ParseSetReroutingResponse(r) },
	"listManagedAccounts":   func(r *http.Response) (any, error) { return xinkapi.ParseListManagedAccountsResponse(r) },
	"createManagedAccount":  func(r *http.Response) (any, error) { return xinkapi.ParseCreateManagedAccountResponse(r) },
	"getManagedAccount":     func(r *http.Response) (any, error) { return xinkapi.ParseGetManagedAccountResponse(r) },
	"deleteManagedAccount":  func(r *http.Response) (any, error) { return xinkapi.ParseDeleteManagedAccountResponse(r) },
	"listSharedMailboxes":   func(r *http.Response) (any, error) { return xinkapi.ParseListSharedMailboxesResponse(r) },
	"createSharedMailbox":   func(r *http.Response) (any, error) { return xinkapi.ParseCreateSharedMailboxResponse(r) },
	"getSharedMailbox":      func(r *http.Response) (any, error) { return xinkapi.ParseGetSharedMailboxResponse(r) },
	"updateSharedMailbox":   func(r *http.Response) (any, error) { return xinkapi.ParseUpdateSharedMailboxResponse(r) },
	"deleteSharedMailbox":   func(r *http.Response) (any, error) { return xinkapi.ParseDeleteSharedMailboxResponse(r) },
}

// HasParser reports whether the generated client has a response parser for
// the operation (every spec operation should).
func HasParser(operationID string) bool { _, ok := parsers[operationID]; return ok }

// DecodeReencode decodes a response into the generated client's type for its
// operation and status (the same ParseXxxResponse the client uses), encodes
// that value again and compares the two JSON documents. It fails when the
// generated type cannot decode the body, when no typed field received it, or
// when re-encoding loses, adds or changes anything (a renamed or unknown
// field disappears; null and absent must stay apart). Non-JSON responses are
// not decoded and pass.
func DecodeReencode(operationID string, status int, header http.Header, body []byte) error {
	parse, ok := parsers[operationID]
	if !ok {
		return fmt.Errorf("%s: no generated response parser", operationID)
	}
	if !strings.Contains(header.Get("Content-Type"), "json") {
		return nil
	}
	resp := &http.Response{StatusCode: status, Header: header, Body: io.NopCloser(bytes.NewReader(body))}
	parsed, err := parse(resp)
	if err != nil {
		return fmt.Errorf("%s status %d: the generated type cannot decode the body: %w", operationID, status, err)
	}
	typed, field := typedBody(parsed)
	if field == "" {
		return fmt.Errorf("%s status %d: no generated JSONxxx field received the body", operationID, status)
	}
	again, err := json.Marshal(typed)
	if err != nil {
		return fmt.Errorf("%s status %d: re-encode %s: %w", operationID, status, field, err)
	}
	var want, got any
	if err := json.Unmarshal(body, &want); err != nil {
		return fmt.Errorf("%s status %d: body is not JSON: %w", operationID, status, err)
	}
	if err := json.Unmarshal(again, &got); err != nil {
		return err
	}
	if diff := cmp.Diff(want, got); diff != "" {
		return fmt.Errorf("%s status %d: decoding into xinkapi.%s and re-encoding changed the body (-wire +re-encoded):\n%s",
			operationID, status, typeName(typed), diff)
	}
	return nil
}

// typedBody returns the one non-nil JSONxxx field of a generated response.
func typedBody(parsed any) (any, string) {
	v := reflect.ValueOf(parsed)
	if v.Kind() == reflect.Pointer {
		v = v.Elem()
	}
	if v.Kind() != reflect.Struct {
		return nil, ""
	}
	for i := 0; i < v.NumField(); i++ {
		f := v.Type().Field(i)
		if strings.HasPrefix(f.Name, "JSON") && f.Type.Kind() == reflect.Pointer && !v.Field(i).IsNil() {
			return v.Field(i).Interface(), f.Name
		}
	}
	return nil, ""
}

func typeName(v any) string {
	t := reflect.TypeOf(v)
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	return t.Name()
}
