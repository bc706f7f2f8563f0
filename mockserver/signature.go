package mockserver

import (
	"context"
	"fmt"
	"strings"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// dotnetTime is how the mock writes dates: .NET style, milliseconds, no offset (UTC).
const dotnetTime = "2006-01-02T15:04:05.000"

func (s *Server) stamp() string {
	return s.Now().UTC().Format(dotnetTime)
}

func (sg *signature) view() xinkserver.Signature {
	v := xinkserver.Signature{Id: sg.Id, Name: nullIfEmpty(sg.Name), Html: nullIfEmpty(sg.Html), PlainText: nullIfEmpty(sg.PlainText), Modified: nullIfEmpty(sg.Modified)}
	return v
}

func signatureNotFound(id int64) xinkserver.NotFoundJSONResponse {
	return notFound(fmt.Sprintf("signature %d not found", id))
}

func (a *account) signatureNamed(name string, except int64) *signature {
	for _, sg := range a.sigs {
		if sg.Id != except && strings.EqualFold(strings.TrimSpace(sg.Name), strings.TrimSpace(name)) {
			return sg
		}
	}
	return nil
}

// ListSignatures implements GET /api/1.0/signature/list (ordered by id).
func (s *Server) ListSignatures(ctx context.Context, _ xinkserver.ListSignaturesRequestObject) (xinkserver.ListSignaturesResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	res, err := signatureListJSON(a)
	if err != nil {
		return nil, err
	}
	return res, nil
}

// signatureViews lists the account's templates by id; the caller holds s.mu.
func signatureViews(a *account) []xinkserver.Signature {
	out := make([]xinkserver.Signature, 0, len(a.sigs))
	for _, id := range a.sortedSigIDs() {
		out = append(out, a.sigs[id].view())
	}
	return out
}

// GetSignature implements GET /api/1.0/signature/{signatureId}.
func (s *Server) GetSignature(ctx context.Context, req xinkserver.GetSignatureRequestObject) (xinkserver.GetSignatureResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	sg := a.sigs[req.SignatureId]
	if sg == nil {
		return xinkserver.GetSignature404JSONResponse{NotFoundJSONResponse: signatureNotFound(req.SignatureId)}, nil
	}
	return xinkserver.GetSignature200JSONResponse{SignatureReplyJSONResponse: xinkserver.SignatureReplyJSONResponse{Success: true, Signature: ptr(sg.view())}}, nil
}

// createTemplate adds a template; the caller holds s.mu. It returns the template or a 409 text.
func (s *Server) createTemplate(a *account, name, htmlText string, plain nullableString) (*signature, string) {
	if dup := a.signatureNamed(name, 0); dup != nil {
		return nil, fmt.Sprintf("signature %q already exists (id %d)", name, dup.Id)
	}
	sg := &signature{SeedSignature{Id: a.nextSig, Name: strings.TrimSpace(name), Html: htmlText, PlainText: derefStr(nullableValue(plain)), Modified: s.stamp()}}
	a.nextSig++
	a.sigs[sg.Id] = sg
	a.templatesChanged()
	return sg, ""
}

// CreateSignature implements POST /api/1.0/signature.
func (s *Server) CreateSignature(ctx context.Context, req xinkserver.CreateSignatureRequestObject) (xinkserver.CreateSignatureResponseObject, error) {
	b := req.Body
	if b == nil || strings.TrimSpace(b.Name) == "" || b.Html == "" {
		return xinkserver.CreateSignature400JSONResponse{BadRequestJSONResponse: badRequest(`request body: fields "Name" and "Html" must not be empty`)}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	sg, msg := s.createTemplate(a, b.Name, b.Html, b.PlainText)
	if sg == nil {
		return xinkserver.CreateSignature409JSONResponse{ConflictJSONResponse: conflict(msg)}, nil
	}
	return xinkserver.CreateSignature200JSONResponse{SignatureReplyJSONResponse: xinkserver.SignatureReplyJSONResponse{Success: true, Signature: ptr(sg.view())}}, nil
}

// UpdateSignature implements PUT /api/1.0/signature/{signatureId}: given fields change.
func (s *Server) UpdateSignature(ctx context.Context, req xinkserver.UpdateSignatureRequestObject) (xinkserver.UpdateSignatureResponseObject, error) {
	b := req.Body
	if b == nil || (b.Name == nil && b.Html == nil && !b.PlainText.IsSpecified()) {
		return xinkserver.UpdateSignature400JSONResponse{BadRequestJSONResponse: badRequest("request body: give at least one of Name, Html, PlainText")}, nil
	}
	if (b.Name != nil && strings.TrimSpace(*b.Name) == "") || (b.Html != nil && *b.Html == "") {
		return xinkserver.UpdateSignature400JSONResponse{BadRequestJSONResponse: badRequest(`request body: fields "Name" and "Html" must not be empty`)}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	sg := a.sigs[req.SignatureId]
	if sg == nil {
		return xinkserver.UpdateSignature404JSONResponse{NotFoundJSONResponse: signatureNotFound(req.SignatureId)}, nil
	}
	if b.Name != nil {
		if dup := a.signatureNamed(*b.Name, sg.Id); dup != nil {
			return xinkserver.UpdateSignature409JSONResponse{ConflictJSONResponse: conflict(fmt.Sprintf("signature %q already exists (id %d)", *b.Name, dup.Id))}, nil
		}
		sg.Name = strings.TrimSpace(*b.Name)
	}
	if b.Html != nil {
		sg.Html = *b.Html
	}
	if b.PlainText.IsSpecified() {
		sg.PlainText = derefStr(nullableValue(b.PlainText))
	}
	sg.Modified = s.stamp()
	a.templatesChanged()
	return xinkserver.UpdateSignature200JSONResponse{SignatureReplyJSONResponse: xinkserver.SignatureReplyJSONResponse{Success: true, Signature: ptr(sg.view())}}, nil
}

// DeleteSignature implements DELETE /api/1.0/signature/{signatureId}; assignments go with it
// and shared mailboxes using it fall back to none.
func (s *Server) DeleteSignature(ctx context.Context, req xinkserver.DeleteSignatureRequestObject) (xinkserver.DeleteSignatureResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if a.sigs[req.SignatureId] == nil {
		return xinkserver.DeleteSignature404JSONResponse{NotFoundJSONResponse: signatureNotFound(req.SignatureId)}, nil
	}
	delete(a.sigs, req.SignatureId)
	a.templatesChanged()
	for _, e := range a.emps {
		for i, as := range e.assignments {
			if as.sigID == req.SignatureId {
				e.assignments = append(e.assignments[:i:i], e.assignments[i+1:]...)
				break
			}
		}
	}
	for _, m := range a.mboxes {
		if m.SignatureId != nil && *m.SignatureId == req.SignatureId {
			m.SignatureId = nil
		}
	}
	return xinkserver.DeleteSignature200JSONResponse{OkJSONResponse: ok()}, nil
}

// resolveEmployees finds every email or names the first unknown one; the caller holds s.mu.
func (a *account) resolveEmployees(emails []string) ([]*employee, string) {
	out := make([]*employee, 0, len(emails))
	seen := map[*employee]bool{}
	for _, em := range emails {
		e := a.byEmail[emailKey(em)]
		if e == nil {
			return nil, em
		}
		if !seen[e] {
			seen[e] = true
			out = append(out, e)
		}
	}
	return out, ""
}

// AssignSignature implements POST /api/1.0/signature/{signatureId}/assign. Every email must
// name an employee; otherwise nothing is assigned (404).
func (s *Server) AssignSignature(ctx context.Context, req xinkserver.AssignSignatureRequestObject) (xinkserver.AssignSignatureResponseObject, error) {
	b := req.Body
	if b == nil || len(b.Emails) == 0 {
		return xinkserver.AssignSignature400JSONResponse{BadRequestJSONResponse: badRequest(`request body: field "Emails": at least one email is required`)}, nil
	}
	defNew, defReply := true, false
	if b.DefaultNew != nil {
		defNew = *b.DefaultNew
	}
	if b.DefaultReply != nil {
		defReply = *b.DefaultReply
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if a.sigs[req.SignatureId] == nil {
		return xinkserver.AssignSignature404JSONResponse{NotFoundJSONResponse: signatureNotFound(req.SignatureId)}, nil
	}
	emps, missing := a.resolveEmployees(b.Emails)
	if missing != "" {
		return xinkserver.AssignSignature404JSONResponse{NotFoundJSONResponse: notFound(fmt.Sprintf("employee %q not found; nothing was assigned", truncate(missing)))}, nil
	}
	emails := make([]string, 0, len(emps))
	for _, e := range emps {
		e.assign(req.SignatureId, defNew, defReply)
		emails = append(emails, e.email)
	}
	return xinkserver.AssignSignature200JSONResponse{Success: true, SignatureId: ptr(req.SignatureId), Emails: nval(emails), DefaultNew: ptr(defNew), DefaultReply: ptr(defReply)}, nil
}
