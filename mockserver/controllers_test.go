package mockserver_test

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver"
	"github.com/xink-go/xink-go/mockserver/mocktest"
)

var tinyPNG, _ = base64.StdEncoding.DecodeString("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==")

// upload posts a multipart image; partType is the file part's declared Content-Type.
func upload(t *testing.T, m *mocktest.Mock, tok, fileName, partType string, data []byte, name string) reply {
	t.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, fileName))
	h.Set("Content-Type", partType)
	pw, err := mw.CreatePart(h)
	if err != nil {
		t.Fatal(err)
	}
	_, _ = pw.Write(data)
	if name != "" {
		_ = mw.WriteField("Name", name)
	}
	_ = mw.Close()
	req, _ := http.NewRequest(http.MethodPost, m.URL+"/api/1.0/image/upload", &buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	return send(t, req)
}

func TestImages(t *testing.T) {
	m, tok := start(t, mockserver.WithMaxUploadBytes(4096))
	r := upload(t, m, tok, "ü photo.png", "image/png", tinyPNG, "")
	wantStatus(t, r, 200)
	img := r.json(t)["Image"].(map[string]any)
	if img["ContentType"] != "image/png" || img["Size"] != float64(len(tinyPNG)) || img["Name"] != "ü photo.png" || img["Id"] != float64(3) {
		t.Errorf("uploaded %v", img)
	}
	u := img["Url"].(string)
	if !strings.HasPrefix(u, m.ImgRoot+"/Images/Get/") {
		t.Errorf("Url %s not under ImgRoot %s", u, m.ImgRoot)
	}
	// Served back with the true type, no token needed.
	got := send(t, mustReq(t, "GET", u))
	wantStatus(t, got, 200)
	if !bytes.Equal(got.Body, tinyPNG) || got.Header.Get("Content-Type") != "image/png" || got.Header.Get("X-Content-Type-Options") != "nosniff" {
		t.Errorf("served %d bytes, type %q, nosniff %q", len(got.Body), got.Header.Get("Content-Type"), got.Header.Get("X-Content-Type-Options"))
	}
	// Listed.
	list := api(t, m, tok, "GET", "/api/1.0/image/list", nil).json(t)["Images"].([]any)
	if len(list) != 3 || list[2].(map[string]any)["Url"] != u {
		t.Errorf("list %v", list)
	}
	// The type comes from the content: a GIF declared as PNG is stored as a GIF; text is 415.
	gif, _ := base64.StdEncoding.DecodeString("R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAIBRAA7")
	r = upload(t, m, tok, "x.png", "image/png", gif, "renamed.gif")
	wantStatus(t, r, 200)
	if im := r.json(t)["Image"].(map[string]any); im["ContentType"] != "image/gif" || im["Name"] != "renamed.gif" {
		t.Errorf("gif declared as png: %v", im)
	}
	r = upload(t, m, tok, "evil.png", "image/png", []byte("<script>alert(1)</script>"), "")
	wantStatus(t, r, 415)
	if !strings.Contains(r.errText(t), "not a PNG, JPEG or GIF") {
		t.Errorf("415 text %s", r.Body)
	}
	// Too large: 413.
	big := append(append([]byte{}, tinyPNG...), make([]byte, 5000)...)
	wantStatus(t, upload(t, m, tok, "big.png", "image/png", big, ""), 413)
	// Far beyond the limit: the body reader stops early, still a 413 envelope, and the
	// connection is closed rather than reused with half a body in it.
	huge := append(append([]byte{}, tinyPNG...), make([]byte, 300<<10)...)
	r = upload(t, m, tok, "huge.png", "image/png", huge, "")
	wantStatus(t, r, 413)
	_ = r.errText(t)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/image/list", nil), 200)
	// Names cannot walk out of the URL.
	r = upload(t, m, tok, "../../etc/passwd.png", "image/png", tinyPNG, "")
	wantStatus(t, r, 200)
	tu := r.json(t)["Image"].(map[string]any)["Url"].(string)
	if strings.Contains(strings.TrimPrefix(tu, m.ImgRoot+"/Images/Get/"), "..") {
		t.Errorf("traversal in URL %s", tu)
	}
	wantStatus(t, send(t, mustReq(t, "GET", tu)), 200)
	wantStatus(t, send(t, mustReq(t, "GET", m.ImgRoot+"/Images/Get/3f1c9a52/../../_mock/state")), 404)
	// Missing file part: 400 naming it.
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	_ = mw.WriteField("Name", "x")
	_ = mw.Close()
	req := mustReq(t, "POST", m.URL+"/api/1.0/image/upload")
	req.Body = ioNopCloser(&buf)
	req.Header.Set("Content-Type", mw.FormDataContentType())
	req.Header.Set("Authorization", "Bearer "+tok)
	r = send(t, req)
	wantStatus(t, r, 400)
	if !strings.Contains(r.errText(t), "file") {
		t.Errorf("400 text %s", r.Body)
	}
	// Delete: gone from the list and from ImgRoot.
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/image/3", nil), 200)
	wantStatus(t, send(t, mustReq(t, "GET", u)), 404)
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/image/3", nil), 404)
}

func TestSignatureTemplates(t *testing.T) {
	m, tok := start(t)
	r := api(t, m, tok, "POST", "/api/1.0/signature", map[string]any{"Name": "Nordic", "Html": "<p>((FirstName)) ((LastName))</p>"})
	wantStatus(t, r, 200)
	sig := r.json(t)["Signature"].(map[string]any)
	id := int(sig["Id"].(float64))
	if id != 4 || sig["Modified"] == nil {
		t.Errorf("created %v", sig)
	}
	wantStatus(t, api(t, m, tok, "POST", "/api/1.0/signature", map[string]any{"Name": "nordic", "Html": "<p>x</p>"}), 409)
	// Update keeps what is not given.
	r = api(t, m, tok, "PUT", fmt.Sprintf("/api/1.0/signature/%d", id), map[string]any{"Html": "<p>((DisplayName))</p>"})
	wantStatus(t, r, 200)
	if s := r.json(t)["Signature"].(map[string]any); s["Name"] != "Nordic" || s["Html"] != "<p>((DisplayName))</p>" {
		t.Errorf("updated %v", s)
	}
	wantStatus(t, api(t, m, tok, "PUT", fmt.Sprintf("/api/1.0/signature/%d", id), map[string]any{"Name": "Corporate"}), 409)
	// Assign; the employee's signatures show it rendered, as the new default for new mail.
	r = api(t, m, tok, "POST", fmt.Sprintf("/api/1.0/signature/%d/assign", id), map[string]any{"Emails": []string{"anna.smirnova@example.com", "kenta.sato@example.com"}})
	wantStatus(t, r, 200)
	if b := r.json(t); b["DefaultNew"] != true || b["DefaultReply"] != false {
		t.Errorf("assign defaults %s", r.Body)
	}
	sigs := api(t, m, tok, "GET", "/api/1.0/employee/anna.smirnova@example.com/signatures", nil).json(t)["Signatures"].([]any)
	var found bool
	for _, s := range sigs {
		sm := s.(map[string]any)
		if int(sm["SignatureId"].(float64)) == id {
			found = sm["Html"] == "<p>Анна Смирнова</p>" && sm["DefaultNew"] == true
		} else if sm["DefaultNew"] == true {
			t.Errorf("template %v is still the default for new mail", sm["SignatureId"])
		}
	}
	if !found {
		t.Errorf("assigned template not rendered: %v", sigs)
	}
	// An unknown email: 404 and nothing assigned.
	r = api(t, m, tok, "POST", fmt.Sprintf("/api/1.0/signature/%d/assign", id), map[string]any{"Emails": []string{"mai.nguyen@example.com", "ghost@example.com"}})
	wantStatus(t, r, 404)
	for _, s := range api(t, m, tok, "GET", "/api/1.0/employee/mai.nguyen@example.com/signatures", nil).json(t)["Signatures"].([]any) {
		if int(s.(map[string]any)["SignatureId"].(float64)) == id {
			t.Error("a failed assign assigned")
		}
	}
	// Delete removes the template and its assignments.
	wantStatus(t, api(t, m, tok, "DELETE", fmt.Sprintf("/api/1.0/signature/%d", id), nil), 200)
	wantStatus(t, api(t, m, tok, "GET", fmt.Sprintf("/api/1.0/signature/%d", id), nil), 404)
	for _, s := range api(t, m, tok, "GET", "/api/1.0/employee/anna.smirnova@example.com/signatures", nil).json(t)["Signatures"].([]any) {
		if int(s.(map[string]any)["SignatureId"].(float64)) == id {
			t.Error("deleted template still assigned")
		}
	}
	// Ids are not reused.
	r = api(t, m, tok, "POST", "/api/1.0/signature", map[string]any{"Name": "Nordic", "Html": "<p>x</p>"})
	wantStatus(t, r, 200)
	if got := int(r.json(t)["Signature"].(map[string]any)["Id"].(float64)); got != id+1 {
		t.Errorf("new id %d, want %d", got, id+1)
	}
}

func TestSignatureImport(t *testing.T) {
	m, tok := start(t)
	r := api(t, m, tok, "POST", "/api/1.0/signatureimport", map[string]any{"Name": "From Outlook", "Html": "<table><tr><td>((DisplayName))</td></tr></table>", "Emails": []string{"lukasz.zolc@example.org"}})
	wantStatus(t, r, 200)
	id := r.json(t)["Signature"].(map[string]any)["Id"].(float64)
	wantStatus(t, api(t, m, tok, "GET", fmt.Sprintf("/api/1.0/signature/%d", int(id)), nil), 200)
	var got map[string]any
	for _, s := range api(t, m, tok, "GET", "/api/1.0/employee/lukasz.zolc@example.org/signatures", nil).json(t)["Signatures"].([]any) {
		if s.(map[string]any)["SignatureId"] == id {
			got = s.(map[string]any)
		}
	}
	if got == nil || got["Html"] != "<table><tr><td>Łukasz Żółć</td></tr></table>" || got["DefaultNew"] != true {
		t.Errorf("imported template for Łukasz: %v", got)
	}
	wantStatus(t, api(t, m, tok, "POST", "/api/1.0/signatureimport", map[string]any{"Name": "From Outlook", "Html": "<p/>"}), 409)
	r = api(t, m, tok, "POST", "/api/1.0/signatureimport", map[string]any{"Name": "Other", "Html": "<p/>", "Emails": []string{"ghost@example.com"}})
	wantStatus(t, r, 404)
	if n := len(api(t, m, tok, "GET", "/api/1.0/signature/list", nil).json(t)["Signatures"].([]any)); n != 4 {
		t.Errorf("%d templates after a failed import, want 4", n)
	}
}

func TestRerouting(t *testing.T) {
	m, tok := start(t)
	r := api(t, m, tok, "GET", "/api/1.0/rerouting/kenta.sato@example.com", nil)
	wantStatus(t, r, 200)
	if st := r.json(t)["Rerouting"].(map[string]any); st["Enabled"] != false || st["Modified"] != nil {
		t.Errorf("never-set state %v", st)
	}
	r = api(t, m, tok, "PUT", "/api/1.0/rerouting/kenta.sato@example.com", map[string]any{"Enabled": true})
	wantStatus(t, r, 200)
	st := api(t, m, tok, "GET", "/api/1.0/rerouting/kenta.sato@example.com", nil).json(t)["Rerouting"].(map[string]any)
	if st["Enabled"] != true || st["Modified"] == nil {
		t.Errorf("after PUT %v", st)
	}
	list := api(t, m, tok, "GET", "/api/1.0/rerouting/list", nil).json(t)["Rerouting"].([]any)
	enabled := 0
	for _, s := range list {
		if s.(map[string]any)["Enabled"] == true {
			enabled++
		}
	}
	if len(list) != 25 || enabled != 4 { // 3 enabled in the seed + kenta
		t.Errorf("list: %d states, %d enabled", len(list), enabled)
	}
	wantStatus(t, api(t, m, tok, "PUT", "/api/1.0/rerouting/ghost@example.com", map[string]any{"Enabled": true}), 404)
	wantStatus(t, api(t, m, tok, "PUT", "/api/1.0/rerouting/kenta.sato@example.com", map[string]any{}), 400)
}

func TestSharedMailboxes(t *testing.T) {
	m, tok := start(t)
	r := api(t, m, tok, "POST", "/api/1.0/sharedmailbox", map[string]any{"Email": "sales@example.com", "DisplayName": "Ventas", "Members": []string{"JOSE.NUNEZ@example.com"}, "SignatureId": 3})
	wantStatus(t, r, 200)
	mb := r.json(t)["Mailbox"].(map[string]any)
	if mb["Members"].([]any)[0] != "jose.nunez@example.com" || mb["SignatureId"] != float64(3) {
		t.Errorf("created %v", mb)
	}
	wantStatus(t, api(t, m, tok, "POST", "/api/1.0/sharedmailbox", map[string]any{"Email": "Sales@example.com"}), 409)
	wantStatus(t, api(t, m, tok, "POST", "/api/1.0/sharedmailbox", map[string]any{"Email": "x@example.com", "Members": []string{"ghost@example.com"}}), 404)
	wantStatus(t, api(t, m, tok, "POST", "/api/1.0/sharedmailbox", map[string]any{"Email": "y@example.com", "SignatureId": 99}), 404)
	// Update changes only what is given; null clears the template.
	r = api(t, m, tok, "PUT", "/api/1.0/sharedmailbox/sales@example.com", map[string]any{"Members": []string{"wei.li@example.com", "minjun.kim@example.com"}, "SignatureId": nil})
	wantStatus(t, r, 200)
	mb = api(t, m, tok, "GET", "/api/1.0/sharedmailbox/sales@example.com", nil).json(t)["Mailbox"].(map[string]any)
	if mb["DisplayName"] != "Ventas" || len(mb["Members"].([]any)) != 2 || mb["SignatureId"] != nil {
		t.Errorf("after update %v", mb)
	}
	// Deleting an employee removes them from mailboxes.
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/employee/wei.li@example.com", nil), 200)
	mb = api(t, m, tok, "GET", "/api/1.0/sharedmailbox/sales@example.com", nil).json(t)["Mailbox"].(map[string]any)
	if len(mb["Members"].([]any)) != 1 {
		t.Errorf("members after employee delete %v", mb["Members"])
	}
	if n := len(api(t, m, tok, "GET", "/api/1.0/sharedmailbox/list", nil).json(t)["Mailboxes"].([]any)); n != 3 {
		t.Errorf("%d mailboxes, want 3", n)
	}
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/sharedmailbox/sales@example.com", nil), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/sharedmailbox/sales@example.com", nil), 404)
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/sharedmailbox/sales@example.com", nil), 404)
}

func TestManagedAccounts(t *testing.T) {
	m := mocktest.Start(t)
	tok := tokenWith(t, m, mockserver.PartnerClientID, mockserver.PartnerClientSecret)
	list := api(t, m, tok, "GET", "/api/1.0/managedaccounts/list", nil).json(t)["Accounts"].([]any)
	if len(list) != 2 {
		t.Fatalf("partner has %d managed accounts, want 2", len(list))
	}
	r := api(t, m, tok, "POST", "/api/1.0/managedaccounts", map[string]any{"Name": "Σύμβουλοι Αθηνών Α.Ε.", "DataCenterID": "EU", "AdminEmail": "it@example.org"})
	wantStatus(t, r, 200)
	id := r.json(t)["Account"].(map[string]any)["AccountId"].(string)
	// Deterministic ids: a second mock makes the same one.
	m2 := mocktest.Start(t)
	tok2 := tokenWith(t, m2, mockserver.PartnerClientID, mockserver.PartnerClientSecret)
	if id2 := api(t, m2, tok2, "POST", "/api/1.0/managedaccounts", map[string]any{"Name": "Other", "DataCenterID": "US"}).json(t)["Account"].(map[string]any)["AccountId"]; id2 != id {
		t.Errorf("ids differ across runs: %s vs %v", id, id2)
	}
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/managedaccounts/"+id, nil), 200)
	wantStatus(t, api(t, m, tok, "POST", "/api/1.0/managedaccounts", map[string]any{"Name": "σύμβουλοι αθηνών α.ε.", "DataCenterID": "EU"}), 409)
	r = api(t, m, tok, "POST", "/api/1.0/managedaccounts", map[string]any{"Name": "X", "DataCenterID": "MARS"})
	wantStatus(t, r, 400)
	if !strings.Contains(r.errText(t), "DataCenterID") {
		t.Errorf("400 text %s", r.Body)
	}
	wantStatus(t, api(t, m, tok, "DELETE", "/api/1.0/managedaccounts/"+id, nil), 200)
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/managedaccounts/"+id, nil), 404)
	// The demo client's account is not a partner: it sees none of these.
	if n := len(api(t, m, tokenFor(t, m), "GET", "/api/1.0/managedaccounts/list", nil).json(t)["Accounts"].([]any)); n != 0 {
		t.Errorf("demo account sees %d managed accounts", n)
	}
	// The partner token has no employee scope.
	wantStatus(t, api(t, m, tok, "GET", "/api/1.0/employee/list", nil), 403)
}
