package mockserver

import (
	"context"
	"fmt"
	"strings"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// ImportSignature implements POST /api/1.0/signatureimport: a new template from existing HTML,
// optionally assigned to employees as their default for new mail. All or nothing.
func (s *Server) ImportSignature(ctx context.Context, req xinkserver.ImportSignatureRequestObject) (xinkserver.ImportSignatureResponseObject, error) {
	b := req.Body
	if b == nil || strings.TrimSpace(b.Name) == "" || b.Html == "" {
		return xinkserver.ImportSignature400JSONResponse{BadRequestJSONResponse: badRequest(`request body: fields "Name" and "Html" must not be empty`)}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	emps, missing := a.resolveEmployees(b.Emails)
	if missing != "" {
		return xinkserver.ImportSignature404JSONResponse{NotFoundJSONResponse: notFound(fmt.Sprintf("employee %q not found; nothing was imported", truncate(missing)))}, nil
	}
	sg, msg := s.createTemplate(a, b.Name, b.Html, b.PlainText)
	if sg == nil {
		return xinkserver.ImportSignature409JSONResponse{ConflictJSONResponse: conflict(msg)}, nil
	}
	for _, e := range emps {
		e.assign(sg.Id, true, false)
	}
	return xinkserver.ImportSignature200JSONResponse{SignatureReplyJSONResponse: xinkserver.SignatureReplyJSONResponse{Success: true, Signature: ptr(sg.view())}}, nil
}
