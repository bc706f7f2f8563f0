package mockserver

import (
	"context"
	"slices"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// GetAccountInfo implements GET /api/1.0/account/info.
func (s *Server) GetAccountInfo(ctx context.Context, _ xinkserver.GetAccountInfoRequestObject) (xinkserver.GetAccountInfoResponseObject, error) {
	rs := stateFrom(ctx)
	s.mu.RLock()
	defer s.mu.RUnlock()
	a := s.st.byID[rs.accountID]
	if a == nil {
		return xinkserver.GetAccountInfodefaultJSONResponse{StatusCode: 500, Body: envelope("the token's account no longer exists")}, nil
	}
	return xinkserver.GetAccountInfo200JSONResponse{
		Success:       true,
		AccountId:     ptr(a.id),
		Name:          nullIfEmpty(a.name),
		DataCenterID:  ptr(rs.dc),
		Domains:       nval(slices.Clone(a.domains)),
		EmployeeCount: ptr(int32(len(a.emps))),
		Created:       nullIfEmpty(a.created),
	}, nil
}
