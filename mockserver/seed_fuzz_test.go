package mockserver_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
)

// FuzzSeedAndStateFiles: whatever a --seed or --state file holds, loading it gives a clear
// error or a mock that answers its own data without a 5xx or a response that breaks the
// spec: a hostile or corrupted file never panics the process.
func FuzzSeedAndStateFiles(f *testing.F) {
	small := mockserver.DefaultSeed()
	small.Accounts[0].Employees = small.Accounts[0].Employees[:3]
	b, _ := json.Marshal(small)
	f.Add(b, false)
	srv, _ := mockserver.New()
	st, _ := json.Marshal(srv.State())
	f.Add(st, true)
	f.Add([]byte(`{"Accounts":[{"AccountId":"a","Employees":[{"Email":"x@y"}],"Signatures":[{"Id":1,"Name":"n","Html":"((FirstName))"}],"Assignments":[{"SignatureId":1,"Email":"X@Y "}]}]}`), false)
	f.Add([]byte(`{"Accounts":[{"AccountId":"a","SharedMailboxes":[{"Email":"m@y","Members":["x@y"]}]}]}`), false)
	f.Add([]byte(`{"Version":1,"Data":{"Accounts":[{"AccountId":"a"}]},"Tokens":[{"Token":"t","ClientID":"c","Expires":"2999-01-01T00:00:00Z","AccountID":"zz"}]}`), true)
	f.Add([]byte(`{"Accounts":[{"AccountId":"a","Images":[{"Id":1,"Name":"../x","ContentType":"image/png","Data":"AAAA"}]}]}`), false)
	f.Fuzz(func(t *testing.T, data []byte, isState bool) {
		var opt mockserver.Option
		if isState {
			var st mockserver.State
			if json.Unmarshal(data, &st) != nil {
				return
			}
			opt = mockserver.WithState(&st)
		} else {
			seed, err := mockserver.ParseSeed(data)
			if err != nil {
				return
			}
			opt = mockserver.WithSeed(seed)
		}
		m := &fuzzMock{}
		var err error
		m.srv, err = mockserver.New(opt, mockserver.WithStrictResponses(true), mockserver.WithBaseURL(fuzzBase))
		if err != nil {
			return
		}
		m.tok = m.token(t, mockserver.DemoClientID, mockserver.DemoClientSecret)
		auth := http.Header{"Authorization": {"Bearer " + m.tok}}
		var list struct{ Employees []struct{ Email string } }
		rec := m.do("GET", "/api/1.0/employee/list/0/5", auth, nil)
		m.step(t, "list", rec)
		if rec.Code != 200 || json.Unmarshal(rec.Body.Bytes(), &list) != nil {
			t.Fatalf("list: %d %s", rec.Code, rec.Body)
		}
		paths := []string{"/api/1.0/account/info", "/api/1.0/signature/list", "/api/1.0/image/list", "/api/1.0/rerouting/list",
			"/api/1.0/sharedmailbox/list", "/api/1.0/managedaccounts/list", "/Discovery", "/_mock/state"}
		for _, e := range list.Employees {
			if u, err := urlPath(e.Email); err == nil {
				paths = append(paths, "/api/1.0/employee/"+u, "/api/1.0/employee/"+u+"/fields", "/api/1.0/employee/"+u+"/signatures", "/api/1.0/rerouting/"+u)
			}
		}
		for _, p := range paths {
			rec := m.do("GET", p, auth, nil)
			m.step(t, p, rec)
			if rec.Code != 200 && rec.Code != 404 {
				t.Fatalf("GET %s: %d %s", p, rec.Code, rec.Body)
			}
		}
	})
}

// urlPath escapes an email as a client would, refusing what cannot name one resource.
func urlPath(email string) (string, error) {
	u := url.PathEscape(email)
	if u == "" || u == "." || u == ".." || u == "list" {
		return "", fmt.Errorf("email %q cannot be a path segment", email)
	}
	return u, nil
}
