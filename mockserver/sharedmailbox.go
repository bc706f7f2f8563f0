package mockserver

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

func (m *mailbox) view() xinkserver.SharedMailbox {
	v := xinkserver.SharedMailbox{Email: m.Email, DisplayName: nullIfEmpty(m.DisplayName), Members: nval(slices.Clone(m.Members))}
	if m.Members == nil {
		v.Members = nval([]string{})
	}
	if m.SignatureId != nil {
		v.SignatureId = nval(*m.SignatureId)
	} else {
		v.SignatureId.SetNull()
	}
	return v
}

func mailboxNotFound(email string) xinkserver.NotFoundJSONResponse {
	return notFound(fmt.Sprintf("shared mailbox %q not found", truncate(email)))
}

// checkMembers resolves members to the employees' stored emails and checks the template;
// it returns a 404 text naming the first unknown item. The caller holds s.mu.
func (a *account) checkMembers(members []string, sig nullableString64) ([]string, *int64, string) {
	emps, missing := a.resolveEmployees(members)
	if missing != "" {
		return nil, nil, fmt.Sprintf("member %q is not an employee", truncate(missing))
	}
	out := make([]string, 0, len(emps))
	for _, e := range emps {
		out = append(out, e.email)
	}
	var sigID *int64
	if v, err := sig.Get(); err == nil {
		if a.sigs[v] == nil {
			return nil, nil, fmt.Sprintf("signature %d not found", v)
		}
		sigID = &v
	}
	return out, sigID, ""
}

// ListSharedMailboxes implements GET /api/1.0/sharedmailbox/list (creation order).
func (s *Server) ListSharedMailboxes(ctx context.Context, _ xinkserver.ListSharedMailboxesRequestObject) (xinkserver.ListSharedMailboxesResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]xinkserver.SharedMailbox, 0, len(a.mboxes))
	for _, m := range a.mboxes {
		out = append(out, m.view())
	}
	return xinkserver.ListSharedMailboxes200JSONResponse{Success: true, Mailboxes: nval(out)}, nil
}

// GetSharedMailbox implements GET /api/1.0/sharedmailbox/{email}.
func (s *Server) GetSharedMailbox(ctx context.Context, req xinkserver.GetSharedMailboxRequestObject) (xinkserver.GetSharedMailboxResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	_, m := a.mailbox(req.Email)
	if m == nil {
		return xinkserver.GetSharedMailbox404JSONResponse{NotFoundJSONResponse: mailboxNotFound(req.Email)}, nil
	}
	return xinkserver.GetSharedMailbox200JSONResponse{SharedMailboxReplyJSONResponse: xinkserver.SharedMailboxReplyJSONResponse{Success: true, Mailbox: ptr(m.view())}}, nil
}

// CreateSharedMailbox implements POST /api/1.0/sharedmailbox. Members must be employees and
// the template must exist (404); an existing mailbox or employee address gives 409.
func (s *Server) CreateSharedMailbox(ctx context.Context, req xinkserver.CreateSharedMailboxRequestObject) (xinkserver.CreateSharedMailboxResponseObject, error) {
	b := req.Body
	if b == nil {
		return xinkserver.CreateSharedMailbox400JSONResponse{BadRequestJSONResponse: badRequest("request body is missing")}, nil
	}
	email := strings.TrimSpace(b.Email)
	if msg := checkEmail("Email", email); msg != "" {
		return xinkserver.CreateSharedMailbox400JSONResponse{BadRequestJSONResponse: badRequest("request body: " + msg)}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	if _, m := a.mailbox(email); m != nil {
		return xinkserver.CreateSharedMailbox409JSONResponse{ConflictJSONResponse: conflict(fmt.Sprintf("shared mailbox %q already exists", truncate(email)))}, nil
	}
	if a.byEmail[emailKey(email)] != nil {
		return xinkserver.CreateSharedMailbox409JSONResponse{ConflictJSONResponse: conflict(fmt.Sprintf("%q is an employee's address", truncate(email)))}, nil
	}
	members, sigID, missing := a.checkMembers(b.Members, b.SignatureId)
	if missing != "" {
		return xinkserver.CreateSharedMailbox404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	m := &mailbox{SeedSharedMailbox{Email: email, DisplayName: derefStr(nullableValue(b.DisplayName)), Members: members, SignatureId: sigID}}
	a.mboxes = append(a.mboxes, m)
	return xinkserver.CreateSharedMailbox200JSONResponse{SharedMailboxReplyJSONResponse: xinkserver.SharedMailboxReplyJSONResponse{Success: true, Mailbox: ptr(m.view())}}, nil
}

// UpdateSharedMailbox implements PUT /api/1.0/sharedmailbox/{email}: given fields change.
func (s *Server) UpdateSharedMailbox(ctx context.Context, req xinkserver.UpdateSharedMailboxRequestObject) (xinkserver.UpdateSharedMailboxResponseObject, error) {
	b := req.Body
	if b == nil || (!b.DisplayName.IsSpecified() && b.Members == nil && !b.SignatureId.IsSpecified()) {
		return xinkserver.UpdateSharedMailbox400JSONResponse{BadRequestJSONResponse: badRequest("request body: give at least one of DisplayName, Members, SignatureId")}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	_, m := a.mailbox(req.Email)
	if m == nil {
		return xinkserver.UpdateSharedMailbox404JSONResponse{NotFoundJSONResponse: mailboxNotFound(req.Email)}, nil
	}
	members, sigID, missing := a.checkMembers(b.Members, b.SignatureId)
	if missing != "" {
		return xinkserver.UpdateSharedMailbox404JSONResponse{NotFoundJSONResponse: notFound(missing)}, nil
	}
	if b.DisplayName.IsSpecified() {
		m.DisplayName = derefStr(nullableValue(b.DisplayName))
	}
	if b.Members != nil {
		m.Members = members
	}
	if b.SignatureId.IsSpecified() {
		m.SignatureId = sigID
	}
	return xinkserver.UpdateSharedMailbox200JSONResponse{SharedMailboxReplyJSONResponse: xinkserver.SharedMailboxReplyJSONResponse{Success: true, Mailbox: ptr(m.view())}}, nil
}

// DeleteSharedMailbox implements DELETE /api/1.0/sharedmailbox/{email}.
func (s *Server) DeleteSharedMailbox(ctx context.Context, req xinkserver.DeleteSharedMailboxRequestObject) (xinkserver.DeleteSharedMailboxResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	i, m := a.mailbox(req.Email)
	if m == nil {
		return xinkserver.DeleteSharedMailbox404JSONResponse{NotFoundJSONResponse: mailboxNotFound(req.Email)}, nil
	}
	a.mboxes = slices.Delete(a.mboxes, i, i+1)
	return xinkserver.DeleteSharedMailbox200JSONResponse{OkJSONResponse: ok()}, nil
}
