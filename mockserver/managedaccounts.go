package mockserver

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

func managedView(m SeedManagedAccount) xinkserver.ManagedAccount {
	return xinkserver.ManagedAccount{
		AccountId:     m.AccountId,
		Name:          nullIfEmpty(m.Name),
		DataCenterID:  ptr(m.DataCenterID),
		AdminEmail:    nullIfEmpty(m.AdminEmail),
		EmployeeCount: ptr(m.EmployeeCount),
		Created:       nullIfEmpty(m.Created),
	}
}

// ListManagedAccounts implements GET /api/1.0/managedaccounts/list: the partner's client accounts.
func (s *Server) ListManagedAccounts(ctx context.Context, _ xinkserver.ListManagedAccountsRequestObject) (xinkserver.ListManagedAccountsResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	out := make([]xinkserver.ManagedAccount, 0, len(a.managed))
	for _, m := range a.managed {
		out = append(out, managedView(m))
	}
	return xinkserver.ListManagedAccounts200JSONResponse{Success: true, Accounts: nval(out)}, nil
}

// GetManagedAccount implements GET /api/1.0/managedaccounts/{accountId}.
func (s *Server) GetManagedAccount(ctx context.Context, req xinkserver.GetManagedAccountRequestObject) (xinkserver.GetManagedAccountResponseObject, error) {
	s.mu.RLock()
	defer s.mu.RUnlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	i := a.managedIndex(req.AccountId)
	if i < 0 {
		return xinkserver.GetManagedAccount404JSONResponse{NotFoundJSONResponse: notFound(fmt.Sprintf("managed account %q not found", req.AccountId))}, nil
	}
	return xinkserver.GetManagedAccount200JSONResponse{ManagedAccountReplyJSONResponse: xinkserver.ManagedAccountReplyJSONResponse{Success: true, Account: ptr(managedView(a.managed[i]))}}, nil
}

func (a *account) managedIndex(id string) int {
	return slices.IndexFunc(a.managed, func(m SeedManagedAccount) bool { return strings.EqualFold(m.AccountId, id) })
}

// CreateManagedAccount implements POST /api/1.0/managedaccounts. Names are unique per partner
// (409); ids are deterministic.
func (s *Server) CreateManagedAccount(ctx context.Context, req xinkserver.CreateManagedAccountRequestObject) (xinkserver.CreateManagedAccountResponseObject, error) {
	b := req.Body
	if b == nil || strings.TrimSpace(b.Name) == "" {
		return xinkserver.CreateManagedAccount400JSONResponse{BadRequestJSONResponse: badRequest(`request body: field "Name": must not be empty`)}, nil
	}
	if !b.DataCenterID.Valid() {
		return xinkserver.CreateManagedAccount400JSONResponse{BadRequestJSONResponse: badRequest(fmt.Sprintf("request body: field \"DataCenterID\": %q is not one of %v", b.DataCenterID, dataCenters))}, nil
	}
	admin := derefStr(nullableValue(b.AdminEmail))
	if admin != "" {
		if msg := checkEmail("AdminEmail", admin); msg != "" {
			return xinkserver.CreateManagedAccount400JSONResponse{BadRequestJSONResponse: badRequest("request body: " + msg)}, nil
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	name := strings.TrimSpace(b.Name)
	if slices.ContainsFunc(a.managed, func(m SeedManagedAccount) bool { return strings.EqualFold(m.Name, name) }) {
		return xinkserver.CreateManagedAccount409JSONResponse{ConflictJSONResponse: conflict(fmt.Sprintf("managed account %q already exists", name))}, nil
	}
	m := SeedManagedAccount{AccountId: managedAccountID(a.id, a.nextManaged), Name: name, DataCenterID: string(b.DataCenterID), AdminEmail: admin, Created: s.stamp()}
	a.nextManaged++
	a.managed = append(a.managed, m)
	return xinkserver.CreateManagedAccount200JSONResponse{ManagedAccountReplyJSONResponse: xinkserver.ManagedAccountReplyJSONResponse{Success: true, Account: ptr(managedView(m))}}, nil
}

// DeleteManagedAccount implements DELETE /api/1.0/managedaccounts/{accountId}.
func (s *Server) DeleteManagedAccount(ctx context.Context, req xinkserver.DeleteManagedAccountRequestObject) (xinkserver.DeleteManagedAccountResponseObject, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.account(ctx)
	if err != nil {
		return nil, err
	}
	i := a.managedIndex(req.AccountId)
	if i < 0 {
		return xinkserver.DeleteManagedAccount404JSONResponse{NotFoundJSONResponse: notFound(fmt.Sprintf("managed account %q not found", req.AccountId))}, nil
	}
	a.managed = slices.Delete(a.managed, i, i+1)
	return xinkserver.DeleteManagedAccount200JSONResponse{OkJSONResponse: ok()}, nil
}
