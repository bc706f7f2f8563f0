package mockserver_test

import "testing"

func TestSmoke(t *testing.T) {
	m, tok := start(t)
	for _, p := range []string{"/Discovery", "/api/1.0/account/info", "/api/1.0/employee/list", "/api/1.0/employee/list/5/3", "/api/1.0/employee/zoe.ostergaard@example.com", "/api/1.0/employee/zoe.ostergaard@example.com/fields", "/api/1.0/employee/zoe.ostergaard@example.com/signatures", "/api/1.0/image/list", "/api/1.0/signature/list", "/api/1.0/signature/1", "/api/1.0/rerouting/list", "/api/1.0/rerouting/zoe.ostergaard@example.com", "/api/1.0/sharedmailbox/list", "/api/1.0/sharedmailbox/support@example.com", "/api/1.0/managedaccounts/list"} {
		r := api(t, m, tok, "GET", p, nil)
		t.Logf("%s -> %d %.300s", p, r.Status, r.Body)
	}
}
