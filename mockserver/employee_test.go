package mockserver_test

import (
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

func pathEmail(e string) string { return url.PathEscape(e) }

func TestEmployeeLifecycle(t *testing.T) {
	m, tok := start(t)
	before := api(t, m, tok, "GET", "/api/1.0/employee/list", nil).json(t)["Total"].(float64)

	r := api(t, m, tok, "POST", "/api/1.0/employee", map[string]any{
		"Email": "new.person@example.com", "FirstName": "Ærø", "LastName": "Ñandú", "JobTitle": nil,
		"Fields": []map[string]any{{"Name": "Mobile", "Value": "+45 11 22 33 44"}},
	})
	wantStatus(t, r, 200)
	emp := r.json(t)["Employee"].(map[string]any)
	if emp["Email"] != "new.person@example.com" || emp["FirstName"] != "Ærø" || emp["JobTitle"] != nil {
		t.Errorf("created %v", emp)
	}
	// Get and list show it; the total grew by one.
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/new.person@example.com", nil), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/NEW.Person@example.com", nil), 200) // emails are case-insensitive
	list := api(t, m, tok, "GET", "/api/1.0/employee/list", nil).json(t)
	if list["Total"].(float64) != before+1 {
		t.Errorf("Total %v, want %v", list["Total"], before+1)
	}
	emps := list["Employees"].([]any)
	if last := emps[len(emps)-1].(map[string]any); last["Email"] != "new.person@example.com" {
		t.Errorf("new employee not last in list order: %v", last)
	}
	// Duplicate: 409, case-insensitively.
	r = api(t, m, tok, "POST", "/api/1.0/employee", map[string]any{"Email": "New.Person@example.com"})
	wantStatus(t, r, 409)
	if !strings.Contains(r.errText(t), "already exists") {
		t.Errorf("409 text: %s", r.Body)
	}
	// Fields: the created values are there.
	f := fieldsOf(t, m, tok, "new.person@example.com")
	if f["Mobile"] != "+45 11 22 33 44" || f["FirstName"] != "Ærø" || f["Email"] != "new.person@example.com" {
		t.Errorf("fields %v", f)
	}
	// Delete removes it: 404 afterwards, twice.
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/employee/new.person@example.com", nil), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/new.person@example.com", nil), 404)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/new.person@example.com/fields", nil), 404)
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/employee/new.person@example.com", nil), 404)
	if got := api(t, m, tok, "GET", "/api/1.0/employee/list", nil).json(t)["Total"].(float64); got != before {
		t.Errorf("Total after delete %v, want %v", got, before)
	}
}

func fieldsOf(t *testing.T, m *mocktest.Mock, tok, email string) map[string]any {
	t.Helper()
	r := api(t, m, tok, "GET", "/api/1.0/employee/"+pathEmail(email)+"/fields", nil)
	wantStatus(t, r, 200)
	out := map[string]any{}
	for _, f := range r.json(t)["Fields"].([]any) {
		fm := f.(map[string]any)
		out[fm["Name"].(string)] = fm["Value"]
	}
	return out
}

func TestEmailRoundTrip(t *testing.T) {
	m, tok := start(t)
	for _, email := range []string{"a.b+c@example.com", "ü@example.com", "50%off@example.com", "o'brien@example.com", "a,b;c=d@example.com", "日本@例え.jp", "a/b@example.com", "a%2Fb@example.com"} {
		t.Run(email, func(t *testing.T) {
			wantStatus(t, api(t, m, tok, "POST", "/api/1.0/employee", map[string]any{"Email": email, "FirstName": "X"}), 200)
			for _, suffix := range []string{"", "/fields", "/signatures"} {
				r := api(t, m, tok, "GET", "/api/1.0/employee/"+pathEmail(email)+suffix, nil)
				wantStatus(t, r, 200)
				b := r.json(t)
				got := b["Email"]
				if suffix == "" {
					got = b["Employee"].(map[string]any)["Email"]
				}
				if got != email {
					t.Errorf("GET %s: Email %q, want %q", suffix, got, email)
				}
			}
			wantStatus(t, api(t, m, tok, "PUT", "/api/1.0/rerouting/"+pathEmail(email), map[string]any{"Enabled": true}), 200)
			wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/employee/"+pathEmail(email), nil), 200)
		})
	}
}

func TestEmployeeListPaging(t *testing.T) {
	seed := mockserver.DefaultSeed()
	seed.Accounts[0].Employees = append(seed.Accounts[0].Employees, mockserver.GenerateEmployees(1234)...)
	m, tok := start(t, mockserver.WithSeed(seed))
	total := len(seed.Accounts[0].Employees)

	first := api(t, m, tok, "GET", "/api/1.0/employee/list", nil).json(t)
	if first["Offset"].(float64) != 0 || first["Limit"].(float64) != 500 || len(first["Employees"].([]any)) != 500 || int(first["Total"].(float64)) != total {
		t.Errorf("default page: offset %v limit %v n %d total %v", first["Offset"], first["Limit"], len(first["Employees"].([]any)), first["Total"])
	}
	seen := map[string]int{}
	var order []string
	for off := 0; ; off += 97 {
		b := api(t, m, tok, "GET", fmt.Sprintf("/api/1.0/employee/list/%d/97", off), nil).json(t)
		if int(b["Total"].(float64)) != total {
			t.Fatalf("Total %v, want %d", b["Total"], total)
		}
		page := b["Employees"].([]any)
		for _, e := range page {
			em := e.(map[string]any)["Email"].(string)
			seen[em]++
			order = append(order, em)
		}
		if len(page) < 97 {
			break
		}
	}
	if len(seen) != total || len(order) != total {
		t.Fatalf("walked %d employees (%d distinct), want %d", len(order), len(seen), total)
	}
	for em, n := range seen {
		if n != 1 {
			t.Errorf("%s seen %d times", em, n)
		}
	}
	// The first page of the walk and of the default route agree (stable order).
	if order[0] != first["Employees"].([]any)[0].(map[string]any)["Email"] {
		t.Error("order differs between routes")
	}
	// Beyond the end: an empty page, not an error.
	b := api(t, m, tok, "GET", fmt.Sprintf("/api/1.0/employee/list/%d/10", total+5), nil).json(t)
	if n := len(b["Employees"].([]any)); n != 0 {
		t.Errorf("page past the end has %d employees", n)
	}
}

func TestEmployeeFields(t *testing.T) {
	m, tok := start(t)
	const who = "hanako.tanaka@example.com"
	r := api(t, m, tok, "PUT", "/api/1.0/employee/"+who+"/fields", map[string]any{"Fields": []map[string]any{
		{"Name": "JobTitle", "Value": "部長"}, {"Name": "Mobile", "Value": nil}, {"Name": "Pronouns", "Value": "she/her"},
	}})
	wantStatus(t, r, 200)
	f := fieldsOf(t, m, tok, who)
	if f["JobTitle"] != "部長" || f["Mobile"] != nil || f["Pronouns"] != "she/her" || f["City"] != "東京" {
		t.Errorf("fields after PUT: %v", f)
	}
	// JobTitle is also the employee's property.
	if got := api(t, m, tok, "GET", "/api/1.0/employee/"+who, nil).json(t)["Employee"].(map[string]any)["JobTitle"]; got != "部長" {
		t.Errorf("Employee.JobTitle = %v", got)
	}
	// Email cannot be changed through fields; nothing else changes either (all or nothing).
	r = api(t, m, tok, "PUT", "/api/1.0/employee/"+who+"/fields", map[string]any{"Fields": []map[string]any{{"Name": "City", "Value": "京都"}, {"Name": "Email", "Value": "x@example.com"}}})
	wantStatus(t, r, 400)
	if fieldsOf(t, m, tok, who)["City"] != "東京" {
		t.Error("a rejected PUT changed a field")
	}
	wantStatus(t, api(t, m, tok, "PUT", "/api/1.0/employee/nobody@example.com/fields", map[string]any{"Fields": []map[string]any{{"Name": "City", "Value": "x"}}}), 404)
}

func TestEmployeeSignaturesRendered(t *testing.T) {
	m, tok := start(t)
	const who = "siobhan.obrien@example.com"
	wantStatus(t, api(t, m, tok, "PUT", "/api/1.0/employee/"+who+"/fields", map[string]any{"Fields": []map[string]any{
		{"Name": "DisplayName", "Value": `Siobhán <O'Brien> & "Co"`},
	}}), 200)
	r := api(t, m, tok, "GET", "/api/1.0/employee/"+who+"/signatures", nil)
	wantStatus(t, r, 200)
	sigs := r.json(t)["Signatures"].([]any)
	if len(sigs) != 2 {
		t.Fatalf("want 2 signatures (Corporate and Kundeservice), got %s", r.Body)
	}
	corp := sigs[0].(map[string]any)
	wantHTML := "<p><b>Siobhán &lt;O&#39;Brien&gt; &amp; &#34;Co&#34;</b><br>Support Lead · Nordlys Consulting ApS<br>+353 87 123 4567</p>"
	if corp["Html"] != wantHTML {
		t.Errorf("Html\n got %q\nwant %q", corp["Html"], wantHTML)
	}
	if corp["PlainText"] != "Siobhán <O'Brien> & \"Co\"\nSupport Lead · Nordlys Consulting ApS\n+353 87 123 4567" {
		t.Errorf("PlainText %q", corp["PlainText"])
	}
	if corp["DefaultNew"] != true || corp["DefaultReply"] != true || sigs[1].(map[string]any)["DefaultNew"] != false {
		t.Errorf("default flags: %s", r.Body)
	}
	for _, s := range sigs {
		if strings.Contains(s.(map[string]any)["Html"].(string), "((") {
			t.Errorf("placeholder left: %v", s)
		}
	}
}

func TestConcurrentWrites(t *testing.T) {
	m, tok := start(t)
	var wg sync.WaitGroup
	const n = 40
	for i := range n {
		wg.Add(2)
		go func() {
			defer wg.Done()
			r := api(t, m, tok, "POST", "/api/1.0/employee", map[string]any{"Email": fmt.Sprintf("c%d@example.com", i)})
			if r.Status != 200 {
				t.Errorf("create %d: %d", i, r.Status)
			}
		}()
		go func() {
			defer wg.Done()
			if r := api(t, m, tok, "GET", "/api/1.0/employee/list/0/500", nil); r.Status != 200 {
				t.Errorf("list: %d", r.Status)
			}
		}()
	}
	wg.Wait()
	if got := api(t, m, tok, "GET", "/api/1.0/account/info", nil).json(t)["EmployeeCount"].(float64); got != 25+n {
		t.Errorf("EmployeeCount %v, want %d", got, 25+n)
	}
}

// BenchmarkListEmployeesPage lists one page of 100 from an account of 100 and of 100 000
// employees: a page costs the same whatever the account's size.
func BenchmarkListEmployeesPage(b *testing.B) {
	for _, n := range []int{100, 100000} {
		b.Run(fmt.Sprint(n), func(b *testing.B) {
			seed := mockserver.DefaultSeed()
			seed.Accounts[0].Employees = mockserver.GenerateEmployees(n)
			seed.Accounts[0].Assignments, seed.Accounts[0].Rerouting, seed.Accounts[0].SharedMailboxes = nil, nil, nil
			m, tok := start(b, mockserver.WithSeed(seed))
			path := fmt.Sprintf("/api/1.0/employee/list/%d/100", n/2-50)
			b.ResetTimer()
			for b.Loop() {
				if r := api(b, m, tok, "GET", path, nil); r.Status != 200 {
					b.Fatal(r.Status)
				}
			}
		})
	}
}
