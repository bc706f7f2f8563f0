package mockserver

import (
	"context"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

func (e *employee) reroutingView() xinkserver.ReroutingState {
	st := xinkserver.ReroutingState{Email: e.email}
	if e.rerouting != nil {
		st.Enabled = e.rerouting.Enabled
		st.Modified = nullIfEmpty(e.rerouting.Modified)
	} else {
		st.Modified.SetNull()
	}
	return st
}

// ListRerouting implements GET /api/1.0/rerouting/list: every employee's state, in list order.
func (s *Server) ListRerouting(ctx context.Context, _ xinkserver.ListReroutingRequestObject) (xinkserver.ListReroutingResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]xinkserver.ReroutingState, 0, len(a.emps))
	for _, e := range a.emps {
		out = append(out, e.reroutingView())
	}
	return xinkserver.ListRerouting200JSONResponse{Success: true, Rerouting: nval(out)}, nil
}

// GetRerouting implements GET /api/1.0/rerouting/{email}.
func (s *Server) GetRerouting(ctx context.Context, req xinkserver.GetReroutingRequestObject) (xinkserver.GetReroutingResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	_, e, err := s.employee(ctx, req.Email)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return xinkserver.GetRerouting404JSONResponse{NotFoundJSONResponse: employeeNotFound(req.Email)}, nil
	}
	return xinkserver.GetRerouting200JSONResponse{ReroutingReplyJSONResponse: xinkserver.ReroutingReplyJSONResponse{Success: true, Rerouting: ptr(e.reroutingView())}}, nil
}

// SetRerouting implements PUT /api/1.0/rerouting/{email}.
func (s *Server) SetRerouting(ctx context.Context, req xinkserver.SetReroutingRequestObject) (xinkserver.SetReroutingResponseObject, error) {
	if req.Body == nil {
		return xinkserver.SetRerouting400JSONResponse{BadRequestJSONResponse: badRequest(`request body: field "Enabled": is missing`)}, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	_, e, err := s.employee(ctx, req.Email)
	if err != nil {
		return nil, err
	}
	if e == nil {
		return xinkserver.SetRerouting404JSONResponse{NotFoundJSONResponse: employeeNotFound(req.Email)}, nil
	}
	e.rerouting = &SeedRerouting{Email: e.email, Enabled: req.Body.Enabled, Modified: s.stamp()}
	return xinkserver.SetRerouting200JSONResponse{ReroutingReplyJSONResponse: xinkserver.ReroutingReplyJSONResponse{Success: true, Rerouting: ptr(e.reroutingView())}}, nil
}
