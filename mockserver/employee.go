package mockserver

import (
	"context"
	"errors"
	"fmt"
	"html"
	"strings"
	"unicode"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// Defaults of Xink's route api/1.0/employee/list/{offset:int=0}/{limit:int=500}.
const (
	DefaultListOffset = 0
	DefaultListLimit  = 500
)

var errNoAccount = errors.New("the token's account no longer exists in the mock's data")

// account returns the caller's account; the caller holds s.mu.
func (s *Server) account(ctx context.Context) (*account, error) {
	a := s.st.byID[stateFrom(ctx).accountID]
	if a == nil {
		return nil, errNoAccount
	}
	return a, nil
}

// employee finds the caller's account and the employee with this email (nil if there is
// none); the caller holds s.mu.
func (s *Server) employee(ctx context.Context, email string) (*account, *employee, error) {
	a, err := s.account(ctx)
	if err != nil {
		return nil, nil, err
	}
	return a, a.byEmail[emailKey(email)], nil
}

func (e *employee) view() xinkserver.Employee {
	return xinkserver.Employee{
		Email:       e.email,
		FirstName:   nstr(e.get("FirstName")),
		LastName:    nstr(e.get("LastName")),
		DisplayName: nstr(e.get("DisplayName")),
		JobTitle:    nstr(e.get("JobTitle")),
		Department:  nstr(e.get("Department")),
	}
}

func (e *employee) fieldValues() []xinkserver.FieldValue {
	out := make([]xinkserver.FieldValue, 0, len(e.fields)+1)
	out = append(out, xinkserver.FieldValue{Name: "Email", Value: nval(e.email)})
	for _, f := range e.fields {
		out = append(out, xinkserver.FieldValue{Name: f.name, Value: nstr(f.value)})
	}
	return out
}

func (s *Server) listPage(ctx context.Context, offset, limit int32) (rawJSON, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return rawJSON{}, err
	}
	total := len(a.emps)
	lo := min(int(offset), total)
	hi := min(lo+int(limit), total)
	return employeePageJSON(total, offset, limit, a.emps[lo:hi])
}

// ListEmployees implements GET /api/1.0/employee/list (offset 0, limit 500).
func (s *Server) ListEmployees(ctx context.Context, _ xinkserver.ListEmployeesRequestObject) (xinkserver.ListEmployeesResponseObject, error) {
	res, err := s.listPage(ctx, DefaultListOffset, DefaultListLimit)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// ListEmployeesPage implements GET /api/1.0/employee/list/{offset}/{limit}.
func (s *Server) ListEmployeesPage(ctx context.Context, req xinkserver.ListEmployeesPageRequestObject) (xinkserver.ListEmployeesPageResponseObject, error) {
	if req.Offset < 0 || req.Limit < 1 || req.Limit > DefaultListLimit {
		return xinkserver.ListEmployeesPage400JSONResponse{BadRequestJSONResponse: badRequest(fmt.Sprintf("offset must be >= 0 and limit between 1 and %d", DefaultListLimit))}, nil
	}
	res, err := s.listPage(ctx, req.Offset, req.Limit)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// checkEmail names what is wrong with an email address, or returns "".
func checkEmail(field, email string) string {
	local, domain, ok := strings.Cut(email, "@")
	switch {
	case email == "":
		return fmt.Sprintf("field %q: is empty", field)
	case !ok || local == "" || domain == "" || strings.Contains(domain, "@"):
		return fmt.Sprintf("field %q: %q is not an email address (local@domain)", field, truncate(email))
	case strings.IndexFunc(email, func(r rune) bool { return unicode.IsSpace(r) || unicode.IsControl(r) }) >= 0:
		return fmt.Sprintf("field %q: %q contains white space or control characters", field, truncate(email))
	}
	return ""
}

// CreateEmployee implements POST /api/1.0/employee.
func (s *Server) CreateEmployee(ctx context.Context, req xinkserver.CreateEmployeeRequestObject) (xinkserver.CreateEmployeeResponseObject, error) {
	b := req.Body
	if b == nil {
		return xinkserver.CreateEmployee400JSONResponse{BadRequestJSONResponse: badRequest("request body is missing")}, nil
	}
	email := strings.TrimSpace(b.Email)
	if msg := checkEmail("Email", email); msg != "" {
		return xinkserver.CreateEmployee400JSONResponse{BadRequestJSONResponse: badRequest("request body: " + msg)}, nil
	}
	for i, f := range b.Fields {
		if strings.TrimSpace(f.Name) == "" {
			return xinkserver.CreateEmployee400JSONResponse{BadRequestJSONResponse: badRequest(fmt.Sprintf("request body: field \"Fields.%d.Name\": is blank", i))}, nil
		}
		if strings.EqualFold(strings.TrimSpace(f.Name), "Email") {
			return xinkserver.CreateEmployee400JSONResponse{BadRequestJSONResponse: badRequest(fmt.Sprintf("request body: field \"Fields.%d.Name\": Email is set by the Email property, not as a field", i))}, nil
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if _, dup := a.byEmail[emailKey(email)]; dup {
		return xinkserver.CreateEmployee409JSONResponse{ConflictJSONResponse: conflict(fmt.Sprintf("employee %q already exists", truncate(email)))}, nil
	}
	e := &employee{email: email}
	for _, kv := range []struct {
		name string
		v    nullableString
	}{{"FirstName", b.FirstName}, {"LastName", b.LastName}, {"DisplayName", b.DisplayName}, {"JobTitle", b.JobTitle}, {"Department", b.Department}} {
		e.fields = append(e.fields, field{name: kv.name, value: nullableValue(kv.v)})
	}
	for _, f := range b.Fields {
		e.set(strings.TrimSpace(f.Name), nullableValue(f.Value))
	}
	a.emps = append(a.emps, e)
	a.byEmail[emailKey(email)] = e
	return xinkserver.CreateEmployee200JSONResponse{EmployeeReplyJSONResponse: xinkserver.EmployeeReplyJSONResponse{Success: true, Employee: ptr(e.view())}}, nil
}

func nullableValue(n nullableString) *string {
	if v, err := n.Get(); err == nil {
		return &v
	}
	return nil
}

func employeeNotFound(email string) xinkserver.NotFoundJSONResponse {
	return notFound(fmt.Sprintf("employee %q not found", truncate(email)))
}

// GetEmployee implements GET /api/1.0/employee/{email}.
func (s *Server) GetEmployee(ctx context.Context, req xinkserver.GetEmployeeRequestObject) (xinkserver.GetEmployeeResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, e, err := s.employee(ctx, req.Email)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return xinkserver.GetEmployee404JSONResponse{NotFoundJSONResponse: employeeNotFound(req.Email)}, nil
	}
	res, err := employeeResultJSON(e)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// DeleteEmployee implements DELETE /api/1.0/employee/{email}. It also removes the employee's
// assignments, rerouting state and shared-mailbox memberships.
func (s *Server) DeleteEmployee(ctx context.Context, req xinkserver.DeleteEmployeeRequestObject) (xinkserver.DeleteEmployeeResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, e, err := s.employee(ctx, req.Email)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return xinkserver.DeleteEmployee404JSONResponse{NotFoundJSONResponse: employeeNotFound(req.Email)}, nil
	}
	a.deleteEmployee(e)
	return xinkserver.DeleteEmployee200JSONResponse{OkJSONResponse: ok()}, nil
}

// GetEmployeeFields implements GET /api/1.0/employee/{email}/fields.
func (s *Server) GetEmployeeFields(ctx context.Context, req xinkserver.GetEmployeeFieldsRequestObject) (xinkserver.GetEmployeeFieldsResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, e, err := s.employee(ctx, req.Email)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return xinkserver.GetEmployeeFields404JSONResponse{NotFoundJSONResponse: employeeNotFound(req.Email)}, nil
	}
	res, err := employeeFieldsJSON(e)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// SetEmployeeFields implements PUT /api/1.0/employee/{email}/fields: the named fields change,
// the others keep their values, null clears a field. All or nothing.
func (s *Server) SetEmployeeFields(ctx context.Context, req xinkserver.SetEmployeeFieldsRequestObject) (xinkserver.SetEmployeeFieldsResponseObject, error) {
	if req.Body == nil || len(req.Body.Fields) == 0 {
		return xinkserver.SetEmployeeFields400JSONResponse{BadRequestJSONResponse: badRequest(`request body: field "Fields": at least one field is required`)}, nil
	}
	for i, f := range req.Body.Fields {
		switch {
		case strings.TrimSpace(f.Name) == "":
			return xinkserver.SetEmployeeFields400JSONResponse{BadRequestJSONResponse: badRequest(fmt.Sprintf("request body: field \"Fields.%d.Name\": is empty", i))}, nil
		case strings.EqualFold(strings.TrimSpace(f.Name), "Email"):
			return xinkserver.SetEmployeeFields400JSONResponse{BadRequestJSONResponse: badRequest(fmt.Sprintf("request body: field \"Fields.%d.Name\": Email cannot be changed (delete and create the employee)", i))}, nil
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, e, err := s.employee(ctx, req.Email)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return xinkserver.SetEmployeeFields404JSONResponse{NotFoundJSONResponse: employeeNotFound(req.Email)}, nil
	}
	for _, f := range req.Body.Fields {
		e.set(strings.TrimSpace(f.Name), nullableValue(f.Value))
	}
	return xinkserver.SetEmployeeFields200JSONResponse{Success: true, Email: ptr(e.email), Fields: nval(e.fieldValues())}, nil
}

// render replaces each ((FieldName)) with the employee's value (HTML-escaped when escape is
// set); unknown and null fields render as "". A placeholder is "((", optional white space,
// a name of letters, digits and underscores, optional white space, "))" (the regular
// expression placeholderPattern, which a fuzz test holds this scanner to).
func render(tpl string, e *employee, escape bool) string {
	i := strings.Index(tpl, "((")
	if i < 0 {
		return tpl
	}
	var b strings.Builder
	b.Grow(len(tpl) + 64)
	for i >= 0 {
		name, end := placeholderAt(tpl, i)
		if end < 0 { // not a placeholder here: keep "(" and look again one byte on
			b.WriteString(tpl[:i+1])
			tpl = tpl[i+1:]
		} else {
			b.WriteString(tpl[:i])
			v := derefStr(e.get(name))
			if escape {
				v = html.EscapeString(v)
			}
			b.WriteString(v)
			tpl = tpl[end:]
		}
		i = strings.Index(tpl, "((")
	}
	b.WriteString(tpl)
	return b.String()
}

// placeholderPattern is the placeholder syntax render implements.
const placeholderPattern = `\(\(\s*([A-Za-z0-9_]+)\s*\)\)`

// placeholderAt parses a placeholder starting at s[i:] ("((" already seen) and returns its
// name and the index just past it, or end -1.
func placeholderAt(s string, i int) (name string, end int) {
	j := i + 2
	for j < len(s) && isSpace(s[j]) {
		j++
	}
	k := j
	for k < len(s) && isNameByte(s[k]) {
		k++
	}
	if k == j {
		return "", -1
	}
	name = s[j:k]
	for k < len(s) && isSpace(s[k]) {
		k++
	}
	if !strings.HasPrefix(s[k:], "))") {
		return "", -1
	}
	return name, k + 2
}

// isSpace is RE2's \s: [\t\n\f\r ].
func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r' }

func isNameByte(c byte) bool {
	return c == '_' || '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

// GetEmployeeSignatures implements GET /api/1.0/employee/{email}/signatures: the employee's
// assigned templates, rendered with their field values.
func (s *Server) GetEmployeeSignatures(ctx context.Context, req xinkserver.GetEmployeeSignaturesRequestObject) (xinkserver.GetEmployeeSignaturesResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, e, err := s.employee(ctx, req.Email)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return xinkserver.GetEmployeeSignatures404JSONResponse{NotFoundJSONResponse: employeeNotFound(req.Email)}, nil
	}
	res, err := employeeSignaturesJSON(a, e)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// renderedSignatures renders the employee's assigned templates; the caller holds s.mu.
func renderedSignatures(a *account, e *employee) []xinkserver.RenderedSignature {
	out := make([]xinkserver.RenderedSignature, 0, len(e.assignments))
	for _, as := range e.assignments {
		sg := a.sigs[as.sigID]
		if sg == nil {
			continue
		}
		rsig := xinkserver.RenderedSignature{
			SignatureId:  sg.Id,
			Name:         nullIfEmpty(sg.Name),
			Html:         nval(render(sg.Html, e, true)),
			DefaultNew:   ptr(as.defaultNew),
			DefaultReply: ptr(as.defaultReply),
		}
		if sg.PlainText != "" {
			rsig.PlainText = nval(render(sg.PlainText, e, false))
		} else {
			rsig.PlainText.SetNull()
		}
		out = append(out, rsig)
	}
	return out
}
