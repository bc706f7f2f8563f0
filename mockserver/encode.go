package mockserver

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"sync/atomic"
)

// Encoding is most of the cost of a read: the generated models hold
// nullable.Nullable values, which encoding/json marshals one by one and then
// compacts again at every level. Employees are read far more often than they
// change, so the mock keeps each employee's JSON (its Employee object and its
// field values) and builds list pages and field answers from those bytes.
//
// The cache is filled lazily by readers under the store's read lock (two
// readers may compute it at once; they store the same bytes) and cleared by
// every change to the employee's fields, under the write lock. The bytes are
// encoded from the same generated models as before, and strict mode validates
// the assembled answers against the spec like any other.

// employeeJSON is an employee's cached encoding.
type employeeJSON struct {
	view   []byte // the Employee object
	fields []byte // the FieldValue array
}

// encoded returns the employee's cached JSON, encoding it first if needed.
func (e *employee) encoded() (*employeeJSON, error) {
	if c := e.enc.Load(); c != nil {
		return c, nil
	}
	view, err := json.Marshal(e.view())
	if err != nil {
		return nil, fmt.Errorf("encode employee %q: %w", e.email, err)
	}
	fields, err := json.Marshal(e.fieldValues())
	if err != nil {
		return nil, fmt.Errorf("encode the fields of %q: %w", e.email, err)
	}
	c := &employeeJSON{view: view, fields: fields}
	e.enc.Store(c)
	return c, nil
}

// changed drops the cached encodings; call it, under the write lock, after
// any change to the employee's fields or assignments.
func (e *employee) changed() {
	e.enc.Store(nil)
	e.sigs.Store(nil)
}

// encCache is embedded in employee.
type encCache struct {
	enc  atomic.Pointer[employeeJSON]
	sigs atomic.Pointer[signaturesJSON]
}

// signaturesJSON is the employee's rendered signatures, valid while the
// account's templates are at version templates.
type signaturesJSON struct {
	templates uint64
	body      []byte // the RenderedSignature array
}

// templatesChanged invalidates the template list and every employee's
// rendered signatures; call it, under the write lock, after any change to a
// template or to assignments.
func (a *account) templatesChanged() { a.templates++ }

// rawJSON is an answer the mock assembled from cached JSON. It implements the
// strict server's response interfaces of the operations that use it.
type rawJSON struct {
	status int
	body   []byte
}

func (r rawJSON) write(w http.ResponseWriter) error {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(r.status)
	_, err := w.Write(r.body)
	return err
}

func (r rawJSON) VisitListEmployeesResponse(w http.ResponseWriter) error     { return r.write(w) }
func (r rawJSON) VisitListEmployeesPageResponse(w http.ResponseWriter) error { return r.write(w) }
func (r rawJSON) VisitGetEmployeeResponse(w http.ResponseWriter) error       { return r.write(w) }
func (r rawJSON) VisitGetEmployeeFieldsResponse(w http.ResponseWriter) error { return r.write(w) }
func (r rawJSON) VisitGetEmployeeSignaturesResponse(w http.ResponseWriter) error {
	return r.write(w)
}
func (r rawJSON) VisitListSignaturesResponse(w http.ResponseWriter) error { return r.write(w) }

// The assembled answers keep the key order encoding/json gives the generated
// structs (alphabetical), so they are byte-identical to the typed answers.

// employeePageJSON encodes an EmployeeListResult from cached employees.
func employeePageJSON(total int, offset, limit int32, emps []*employee) (rawJSON, error) {
	b := make([]byte, 0, 64+len(emps)*256)
	b = append(b, `{"Employees":[`...)
	for i, e := range emps {
		c, err := e.encoded()
		if err != nil {
			return rawJSON{}, err
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, c.view...)
	}
	b = append(b, `],"Limit":`...)
	b = strconv.AppendInt(b, int64(limit), 10)
	b = append(b, `,"Offset":`...)
	b = strconv.AppendInt(b, int64(offset), 10)
	b = append(b, `,"Success":true,"Total":`...)
	b = strconv.AppendInt(b, int64(total), 10)
	b = append(b, "}\n"...)
	return rawJSON{status: http.StatusOK, body: b}, nil
}

// employeeResultJSON encodes an EmployeeResult.
func employeeResultJSON(e *employee) (rawJSON, error) {
	c, err := e.encoded()
	if err != nil {
		return rawJSON{}, err
	}
	b := make([]byte, 0, 32+len(c.view))
	b = append(b, `{"Employee":`...)
	b = append(b, c.view...)
	b = append(b, `,"Success":true}`+"\n"...)
	return rawJSON{status: http.StatusOK, body: b}, nil
}

// employeeFieldsJSON encodes an EmployeeFieldsResult.
func employeeFieldsJSON(e *employee) (rawJSON, error) {
	c, err := e.encoded()
	if err != nil {
		return rawJSON{}, err
	}
	email, err := json.Marshal(e.email)
	if err != nil {
		return rawJSON{}, err
	}
	b := make([]byte, 0, 48+len(email)+len(c.fields))
	b = append(b, `{"Email":`...)
	b = append(b, email...)
	b = append(b, `,"Fields":`...)
	b = append(b, c.fields...)
	b = append(b, `,"Success":true}`+"\n"...)
	return rawJSON{status: http.StatusOK, body: b}, nil
}

// employeeSignaturesJSON encodes an EmployeeSignaturesResult, rendering the
// templates only when the employee or the account's templates changed.
func employeeSignaturesJSON(a *account, e *employee) (rawJSON, error) {
	c := e.sigs.Load()
	if c == nil || c.templates != a.templates {
		body, err := json.Marshal(renderedSignatures(a, e))
		if err != nil {
			return rawJSON{}, fmt.Errorf("encode the signatures of %q: %w", e.email, err)
		}
		c = &signaturesJSON{templates: a.templates, body: body}
		e.sigs.Store(c)
	}
	email, err := json.Marshal(e.email)
	if err != nil {
		return rawJSON{}, err
	}
	b := make([]byte, 0, 48+len(email)+len(c.body))
	b = append(b, `{"Email":`...)
	b = append(b, email...)
	b = append(b, `,"Signatures":`...)
	b = append(b, c.body...)
	b = append(b, `,"Success":true}`+"\n"...)
	return rawJSON{status: http.StatusOK, body: b}, nil
}

// signatureListJSON encodes a SignatureListResult, cached per template version.
func signatureListJSON(a *account) (rawJSON, error) {
	c := a.sigList.Load()
	if c == nil || c.templates != a.templates {
		body, err := json.Marshal(signatureViews(a))
		if err != nil {
			return rawJSON{}, fmt.Errorf("encode the template list: %w", err)
		}
		c = &signaturesJSON{templates: a.templates, body: body}
		a.sigList.Store(c)
	}
	b := make([]byte, 0, 32+len(c.body))
	b = append(b, `{"Signatures":`...)
	b = append(b, c.body...)
	b = append(b, `,"Success":true}`+"\n"...)
	return rawJSON{status: http.StatusOK, body: b}, nil
}
