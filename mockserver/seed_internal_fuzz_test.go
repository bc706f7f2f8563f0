package mockserver

import (
	"encoding/json"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// FuzzSeedAndStateFiles: whatever a --seed or --state file holds, it is refused with an
// error by ParseSeed or WithState, or the mock serves that data (list, every listed
// employee's routes, account, signatures, images, rerouting, mailboxes, discovery, the state
// dump) with 200 or 404 only and every response valid against the spec: a hostile or
// corrupted file never panics the process. One mock is reused and given each input's data
// as a start from that file would (New's own client/account cross-checks are not redone).
func FuzzSeedAndStateFiles(f *testing.F) {
	small := DefaultSeed()
	small.Accounts[0].Employees = small.Accounts[0].Employees[:3]
	b, _ := json.Marshal(small)
	f.Add(b, false)
	ref, err := New()
	if err != nil {
		f.Fatal(err)
	}
	st, _ := json.Marshal(ref.State())
	f.Add(st, true)
	f.Add([]byte(`{"Accounts":[{"AccountId":"a","Employees":[{"Email":"x@y"}],"Signatures":[{"Id":1,"Name":"n","Html":"((FirstName))"}],"Assignments":[{"SignatureId":1,"Email":"X@Y "}]}]}`), false)
	f.Add([]byte(`{"Accounts":[{"AccountId":"a","Employees":[{"Email":"x@y"}],"SharedMailboxes":[{"Email":"m@y","Members":["x@y"],"SignatureId":7}]}]}`), false)
	f.Add([]byte(`{"Version":1,"Data":{"Accounts":[{"AccountId":"a","Employees":[{"Email":" a@b ","Fields":[{"Name":"Email","Value":"x"}]}]}]}}`), true)
	f.Add([]byte(`{"Accounts":[{"AccountId":"a","Images":[{"Id":1,"Name":"../x","ContentType":"image/png","Data":"AAAA"}],"ManagedAccounts":[{"AccountId":"m","Name":"","DataCenterID":"EU"}]}]}`), false)
	s, err := New(WithStrictResponses(true), WithBaseURL("http://127.0.0.1:8080"))
	if err != nil {
		f.Fatal(err)
	}
	do := func(t *testing.T, method, target, auth string, body string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if auth != "" {
			req.Header.Set("Authorization", "Bearer "+auth)
		}
		if body != "" {
			req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		}
		rec := httptest.NewRecorder()
		s.ServeHTTP(rec, req)
		if v := s.StrictViolations(); len(v) > 0 {
			t.Fatalf("%s %s: the response does not match the spec: %s", method, target, v[len(v)-1])
		}
		return rec
	}
	f.Fuzz(func(t *testing.T, data []byte, isState bool) {
		var seed *Seed
		if isState {
			var st State
			if json.Unmarshal(data, &st) != nil {
				return
			}
			var cfg config
			if WithState(&st)(&cfg) != nil {
				return
			}
			seed = &cfg.state.Data
		} else {
			var err error
			if seed, err = ParseSeed(data); err != nil {
				return
			}
		}
		built := newStore(seed) // outside the lock: a panic here must not leave s.mu held
		s.mu.Lock()
		s.st = built
		s.mu.Unlock()
		demo := *s.clients[DemoClientID]
		demo.AccountID = seed.Accounts[0].AccountId
		s.clients[DemoClientID] = &demo
		form := url.Values{"grant_type": {"client_credentials"}, "client_id": {DemoClientID}, "client_secret": {DemoClientSecret}}
		rec := do(t, "POST", "/OAuth/Token", "", form.Encode())
		var tok struct {
			AccessToken string `json:"access_token"`
		}
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &tok) != nil {
			t.Fatalf("token: %d %s", rec.Code, rec.Body)
		}
		var list struct{ Employees []struct{ Email string } }
		rec = do(t, "GET", "/api/1.0/employee/list/0/5", tok.AccessToken, "")
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &list) != nil {
			t.Fatalf("list: %d %s", rec.Code, rec.Body)
		}
		paths := []string{"/api/1.0/account/info", "/api/1.0/signature/list", "/api/1.0/image/list", "/api/1.0/rerouting/list",
			"/api/1.0/sharedmailbox/list", "/api/1.0/managedaccounts/list", "/Discovery", "/_mock/state"}
		for _, e := range list.Employees {
			u := url.PathEscape(e.Email)
			if u == "" || u == "." || u == ".." || u == "list" {
				continue
			}
			paths = append(paths, "/api/1.0/employee/"+u, "/api/1.0/employee/"+u+"/fields", "/api/1.0/employee/"+u+"/signatures", "/api/1.0/rerouting/"+u)
		}
		for _, p := range paths {
			if rec := do(t, "GET", p, tok.AccessToken, ""); rec.Code != 200 && rec.Code != 404 {
				t.Fatalf("GET %s: %d %s", p, rec.Code, rec.Body)
			}
		}
	})
}
