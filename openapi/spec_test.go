package openapi_test

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/xink-go/xink-go/openapi"
)

// loadSpec parses the embedded document with kin-openapi. Each call returns a
// fresh document, so a test may mutate it.
func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(openapi.YAML)
	if err != nil {
		t.Fatalf("load openapi/xink.yaml: %v", err)
	}
	return doc
}

// operation is one (method, path, operation) triple of the spec, in a stable order.
type operation struct {
	Method string
	Path   string
	Op     *openapi3.Operation
}

func operations(doc *openapi3.T) []operation {
	var ops []operation
	for _, path := range doc.Paths.InMatchingOrder() {
		item := doc.Paths.Value(path)
		for method, op := range item.Operations() {
			ops = append(ops, operation{Method: method, Path: path, Op: op})
		}
	}
	sort.Slice(ops, func(i, j int) bool {
		if ops[i].Path != ops[j].Path {
			return ops[i].Path < ops[j].Path
		}
		return ops[i].Method < ops[j].Method
	})
	return ops
}

func TestSpecValidates(t *testing.T) {
	doc := loadSpec(t)
	if got := doc.OpenAPI; got != "3.0.3" {
		t.Errorf("openapi version = %q, want 3.0.3", got)
	}
	if err := doc.Validate(context.Background(), openapi3.EnableExamplesValidation()); err != nil {
		t.Fatalf("kin-openapi rejects the spec: %v", err)
	}
}

// wantOperations is every operation the working model in shared/xink-api.md
// names, plus the token and discovery endpoints. Removing or renaming one is a
// breaking change for every user, so it has to be done here on purpose.
var wantOperations = map[string]string{
	"getToken":              "POST /OAuth/Token",
	"getDiscovery":          "GET /Discovery",
	"getAccountInfo":        "GET /api/1.0/account/info",
	"listEmployees":         "GET /api/1.0/employee/list",
	"listEmployeesPage":     "GET /api/1.0/employee/list/{offset}/{limit}",
	"getEmployee":           "GET /api/1.0/employee/{email}",
	"getEmployeeFields":     "GET /api/1.0/employee/{email}/fields",
	"getEmployeeSignatures": "GET /api/1.0/employee/{email}/signatures",
	"createEmployee":        "POST /api/1.0/employee",
	"setEmployeeFields":     "PUT /api/1.0/employee/{email}/fields",
	"deleteEmployee":        "DELETE /api/1.0/employee/{email}",
	"listImages":            "GET /api/1.0/image/list",
	"uploadImage":           "POST /api/1.0/image/upload",
	"deleteImage":           "DELETE /api/1.0/image/{imageId}",
	"listSignatures":        "GET /api/1.0/signature/list",
	"getSignature":          "GET /api/1.0/signature/{signatureId}",
	"createSignature":       "POST /api/1.0/signature",
	"updateSignature":       "PUT /api/1.0/signature/{signatureId}",
	"deleteSignature":       "DELETE /api/1.0/signature/{signatureId}",
	"assignSignature":       "POST /api/1.0/signature/{signatureId}/assign",
	"importSignature":       "POST /api/1.0/signatureimport",
	"listRerouting":         "GET /api/1.0/rerouting/list",
	"getRerouting":          "GET /api/1.0/rerouting/{email}",
	"setRerouting":          "PUT /api/1.0/rerouting/{email}",
	"listManagedAccounts":   "GET /api/1.0/managedaccounts/list",
	"getManagedAccount":     "GET /api/1.0/managedaccounts/{accountId}",
	"createManagedAccount":  "POST /api/1.0/managedaccounts",
	"deleteManagedAccount":  "DELETE /api/1.0/managedaccounts/{accountId}",
	"listSharedMailboxes":   "GET /api/1.0/sharedmailbox/list",
	"getSharedMailbox":      "GET /api/1.0/sharedmailbox/{email}",
	"createSharedMailbox":   "POST /api/1.0/sharedmailbox",
	"updateSharedMailbox":   "PUT /api/1.0/sharedmailbox/{email}",
	"deleteSharedMailbox":   "DELETE /api/1.0/sharedmailbox/{email}",
}

func TestSpecHasEveryOperation(t *testing.T) {
	got := map[string]string{}
	for _, o := range operations(loadSpec(t)) {
		got[o.Op.OperationID] = o.Method + " " + o.Path
	}
	for id, route := range wantOperations {
		if got[id] != route {
			t.Errorf("operation %s: got route %q, want %q", id, got[id], route)
		}
	}
	for id, route := range got {
		if _, ok := wantOperations[id]; !ok {
			t.Errorf("operation %s (%s) is not in wantOperations: add it there on purpose", id, route)
		}
	}
	// pitfalls row 4: the middle arity collides with /employee/{email}/fields in ServeMux.
	if loadSpec(t).Paths.Value("/api/1.0/employee/list/{offset}") != nil {
		t.Error("/api/1.0/employee/list/{offset} must not be declared (ServeMux panics at start-up)")
	}
}

var (
	lowerCamel     = regexp.MustCompile(`^[a-z][a-zA-Z0-9]*$`)
	provenanceVals = []string{openapi.ProvenanceDocumented, openapi.ProvenancePartlyDocumented, openapi.ProvenanceInferred}
	wantTags       = []string{"Auth", "Account", "Employee", "Image", "Signature", "Signature Import", "Rerouting", "Managed Accounts", "Shared Mailboxes"}
)

// houseRuleViolations checks the project's rules on a loaded spec and returns
// one message per violation. It is a function, not a test, so that tests can
// feed it broken documents and prove it notices.
func houseRuleViolations(doc *openapi3.T) []string {
	var bad []string
	report := func(o operation, format string, args ...any) {
		bad = append(bad, fmt.Sprintf("%s %s (%s): %s", o.Method, o.Path, o.Op.OperationID, fmt.Sprintf(format, args...)))
	}

	var declaredTags []string
	for _, tag := range doc.Tags {
		declaredTags = append(declaredTags, tag.Name)
	}
	if !slices.Equal(declaredTags, wantTags) {
		bad = append(bad, fmt.Sprintf("tags = %q, want %q", declaredTags, wantTags))
	}

	schemes := doc.Components.SecuritySchemes
	var oauthScopes map[string]string
	if s := schemes["oauth2"]; s != nil && s.Value != nil && s.Value.Flows != nil && s.Value.Flows.ClientCredentials != nil {
		oauthScopes = s.Value.Flows.ClientCredentials.Scopes
	} else {
		bad = append(bad, "components.securitySchemes.oauth2 with a clientCredentials flow is missing")
	}

	seenIDs := map[string]bool{}
	for _, o := range operations(doc) {
		op := o.Op
		if !lowerCamel.MatchString(op.OperationID) {
			report(o, "operationId %q is not lowerCamelCase", op.OperationID)
		}
		if seenIDs[op.OperationID] {
			report(o, "duplicate operationId")
		}
		seenIDs[op.OperationID] = true
		if len(op.Tags) != 1 {
			report(o, "has %d tags, want exactly one", len(op.Tags))
		} else if !slices.Contains(wantTags, op.Tags[0]) {
			report(o, "tag %q is not declared", op.Tags[0])
		}
		prov, _ := op.Extensions["x-xink-provenance"].(string)
		if !slices.Contains(provenanceVals, prov) {
			report(o, "x-xink-provenance = %q, want one of %q", prov, provenanceVals)
		}

		// Security: explicit on every operation, only declared schemes and scopes.
		if op.Security == nil || len(*op.Security) == 0 {
			report(o, "no security requirement")
		}
		needsScope := false
		if op.Security != nil {
			for _, req := range *op.Security {
				for name, scopes := range req {
					if schemes[name] == nil {
						report(o, "security scheme %q is not declared", name)
					}
					for _, scope := range scopes {
						if _, ok := oauthScopes[scope]; !ok || name != "oauth2" {
							report(o, "scope %q is not a declared oauth2 scope", scope)
						}
						needsScope = true
					}
				}
			}
		}
		if op.Responses.Value("401") == nil {
			report(o, "no 401 response")
		}
		if needsScope && op.Responses.Value("403") == nil {
			report(o, "needs a scope but has no 403 response")
		}
		if op.Responses.Value("200") == nil {
			report(o, "no 200 response")
		}

		// Every non-2xx JSON response carries the envelope (the token endpoint: RFC 6749 errors).
		wantErrSchema := "#/components/schemas/ErrorEnvelope"
		for code, ref := range op.Responses.Map() {
			resp := ref.Value
			for mt, media := range resp.Content {
				if media.Example == nil && len(media.Examples) == 0 && !strings.HasPrefix(mt, "multipart/") {
					report(o, "response %s %s has no example", code, mt)
				}
				if strings.HasPrefix(code, "2") || !strings.Contains(mt, "json") {
					continue
				}
				want := wantErrSchema
				if o.Path == "/OAuth/Token" && (code == "400" || code == "401") {
					want = "#/components/schemas/OAuthError"
				}
				if media.Schema == nil || media.Schema.Ref != want {
					got := "<inline>"
					if media.Schema != nil && media.Schema.Ref != "" {
						got = media.Schema.Ref
					}
					report(o, "response %s %s schema is %s, want %s", code, mt, got, want)
				}
			}
		}
		if op.RequestBody != nil {
			for mt, media := range op.RequestBody.Value.Content {
				if media.Example == nil && len(media.Examples) == 0 {
					report(o, "request body %s has no example", mt)
				}
			}
		}

		// pitfalls rows 2 and 17: email path parameters stay plain strings.
		for _, p := range append(doc.Paths.Value(o.Path).Parameters, op.Parameters...) {
			pv := p.Value
			if pv.In != "path" || pv.Name != "email" {
				continue
			}
			s := pv.Schema.Value
			if !s.Type.Is("string") || s.Format != "" || s.Pattern != "" || s.MaxLength != nil || s.MinLength != 0 || len(s.Enum) != 0 {
				report(o, "email path parameter must be a plain string (no format/pattern/length/enum)")
			}
		}
	}

	// Schemas: no date formats until a live fixture proves RFC 3339, no format: email,
	// and never additionalProperties: false (the vendor may add fields).
	for name, ref := range doc.Components.Schemas {
		walkSchema(name, ref.Value, map[*openapi3.Schema]bool{}, func(path string, s *openapi3.Schema) {
			switch s.Format {
			case "date-time", "date", "email":
				bad = append(bad, fmt.Sprintf("schema %s: format %q is banned (pitfalls rows 16, 17)", path, s.Format))
			}
			if s.AdditionalProperties.Has != nil && !*s.AdditionalProperties.Has {
				bad = append(bad, fmt.Sprintf("schema %s: additionalProperties: false is banned", path))
			}
		})
	}
	return bad
}

func walkSchema(path string, s *openapi3.Schema, seen map[*openapi3.Schema]bool, visit func(string, *openapi3.Schema)) {
	if s == nil || seen[s] {
		return
	}
	seen[s] = true
	visit(path, s)
	for name, p := range s.Properties {
		walkSchema(path+"."+name, p.Value, seen, visit)
	}
	if s.Items != nil {
		walkSchema(path+"[]", s.Items.Value, seen, visit)
	}
	for _, group := range []openapi3.SchemaRefs{s.AllOf, s.AnyOf, s.OneOf} {
		for i, sub := range group {
			walkSchema(path+"/"+strconv.Itoa(i), sub.Value, seen, visit)
		}
	}
}

func TestHouseRules(t *testing.T) {
	for _, v := range houseRuleViolations(loadSpec(t)) {
		t.Error(v)
	}
}

// TestHouseRulesCatchViolations breaks a copy of the spec in each way the
// rules forbid and checks that houseRuleViolations names the problem.
func TestHouseRulesCatchViolations(t *testing.T) {
	cases := []struct {
		name   string
		break_ func(doc *openapi3.T)
		want   string
	}{
		{"missing provenance", func(doc *openapi3.T) {
			delete(doc.Paths.Value("/api/1.0/employee/list").Get.Extensions, "x-xink-provenance")
		}, "(listEmployees): x-xink-provenance"},
		{"undeclared scope", func(doc *openapi3.T) {
			(*doc.Paths.Value("/api/1.0/employee/list").Get.Security)[0]["oauth2"] = []string{"employees.everything"}
		}, `scope "employees.everything" is not a declared oauth2 scope`},
		{"two tags", func(doc *openapi3.T) {
			op := doc.Paths.Value("/api/1.0/image/list").Get
			op.Tags = append(op.Tags, "Signature")
		}, "(listImages): has 2 tags"},
		{"no 403", func(doc *openapi3.T) {
			doc.Paths.Value("/api/1.0/rerouting/list").Get.Responses.Delete("403")
		}, "(listRerouting): needs a scope but has no 403"},
		{"no 401", func(doc *openapi3.T) {
			doc.Paths.Value("/api/1.0/account/info").Get.Responses.Delete("401")
		}, "(getAccountInfo): no 401 response"},
		{"error without envelope", func(doc *openapi3.T) {
			op := doc.Paths.Value("/api/1.0/signature/list").Get
			op.Responses.Set("404", &openapi3.ResponseRef{Value: openapi3.NewResponse().WithDescription("x").
				WithJSONSchema(openapi3.NewStringSchema())})
		}, "response 404 application/json schema is <inline>"},
		{"email format", func(doc *openapi3.T) {
			doc.Components.Parameters["EmployeeEmail"].Value.Schema.Value.Format = "email"
		}, "email path parameter must be a plain string"},
		{"date-time", func(doc *openapi3.T) {
			doc.Components.Schemas["Image"].Value.Properties["Created"].Value.Format = "date-time"
		}, `schema Image.Created: format "date-time" is banned`},
		{"missing example", func(doc *openapi3.T) {
			doc.Paths.Value("/api/1.0/rerouting/{email}").Put.RequestBody.Value.Content["application/json"].Example = nil
		}, "(setRerouting): request body application/json has no example"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			doc := loadSpec(t)
			tc.break_(doc)
			got := houseRuleViolations(doc)
			if !slices.ContainsFunc(got, func(v string) bool { return strings.Contains(v, tc.want) }) {
				t.Errorf("violation containing %q not reported; got %q", tc.want, got)
			}
		})
	}
}

// TestExamplesValidate checks every request and response example against its
// schema, as a request or as a response, naming the operation and status of a
// failure. (kin's Validate checks examples too; this names them better and
// covers examples under shared components.responses once per use.)
func TestExamplesValidate(t *testing.T) {
	doc := loadSpec(t)
	n := 0
	for _, o := range operations(doc) {
		if o.Op.RequestBody != nil {
			for mt, media := range o.Op.RequestBody.Value.Content {
				if strings.HasPrefix(mt, "multipart/") {
					continue // a binary part has no JSON example to check
				}
				n++
				if err := media.Schema.Value.VisitJSON(toJSONValue(t, media.Example), openapi3.VisitAsRequest(), openapi3.MultiErrors()); err != nil {
					t.Errorf("%s request example (%s) does not match its schema: %v", o.Op.OperationID, mt, err)
				}
			}
		}
		for code, ref := range o.Op.Responses.Map() {
			for mt, media := range ref.Value.Content {
				n++
				if err := media.Schema.Value.VisitJSON(toJSONValue(t, media.Example), openapi3.VisitAsResponse(), openapi3.MultiErrors()); err != nil {
					t.Errorf("%s %s response example (%s) does not match its schema: %v", o.Op.OperationID, code, mt, err)
				}
			}
		}
	}
	if n < 150 {
		t.Errorf("checked only %d examples; expected one per request and response", n)
	}
}

// toJSONValue turns a YAML-decoded example into the shapes VisitJSON expects
// (float64 numbers, map[string]any objects).
func toJSONValue(t *testing.T, v any) any {
	t.Helper()
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = toJSONValue(t, e)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJSONValue(t, e)
		}
		return out
	case int:
		return float64(x)
	case int64:
		return float64(x)
	case uint64:
		return float64(x)
	default:
		return v
	}
}

func TestSecurityMatchesWorkingModel(t *testing.T) {
	// The scope each operation needs, as shared/xink-api.md states it
	// ("" = any valid token). A change here is a change of the model.
	want := map[string]string{
		"getDiscovery": "", "getAccountInfo": "",
		"listEmployees": "employeeread", "listEmployeesPage": "employeeread", "getEmployee": "employeeread",
		"getEmployeeFields": "employeefieldsread", "getEmployeeSignatures": "employeesignaturesread",
		"createEmployee": "employeectrl", "setEmployeeFields": "employeectrl", "deleteEmployee": "employeectrl",
		"listImages": "employeesignaturesread", "uploadImage": "signaturectrl", "deleteImage": "signaturectrl",
		"listSignatures": "employeesignaturesread", "getSignature": "employeesignaturesread",
		"createSignature": "signaturectrl", "updateSignature": "signaturectrl", "deleteSignature": "signaturectrl",
		"assignSignature": "signaturectrl", "importSignature": "signaturectrl",
		"listRerouting": "employeeread", "getRerouting": "employeeread", "setRerouting": "employeectrl",
		"listManagedAccounts": "managedaccountsread", "getManagedAccount": "managedaccountsread",
		"createManagedAccount": "managedaccountsctrl", "deleteManagedAccount": "managedaccountsctrl",
		"listSharedMailboxes": "employeeread", "getSharedMailbox": "employeeread",
		"createSharedMailbox": "employeectrl", "updateSharedMailbox": "employeectrl", "deleteSharedMailbox": "employeectrl",
	}
	for _, o := range operations(loadSpec(t)) {
		if o.Op.OperationID == "getToken" {
			sec := *o.Op.Security
			if len(sec) != 2 || sec[0]["basicClient"] == nil || len(sec[1]) != 0 {
				t.Errorf("getToken security = %v, want Basic or form credentials ([{basicClient: []}, {}])", sec)
			}
			continue
		}
		sec := *o.Op.Security
		if len(sec) != 1 || len(sec[0]) != 1 || sec[0]["oauth2"] == nil {
			t.Errorf("%s: security = %v, want exactly one oauth2 requirement", o.Op.OperationID, sec)
			continue
		}
		got := strings.Join(sec[0]["oauth2"], ",")
		if w, ok := want[o.Op.OperationID]; !ok || got != w {
			t.Errorf("%s: scope %q, want %q", o.Op.OperationID, got, w)
		}
	}
}

func TestServers(t *testing.T) {
	doc := loadSpec(t)
	var got []string
	for _, s := range doc.Servers {
		got = append(got, s.URL)
	}
	want := []string{"https://e.xink.io", "https://e-eu.xink.io", "https://e-uk.xink.io", "https://e-ca.xink.io", "https://e-au.xink.io"}
	if !slices.Equal(got, want) {
		t.Errorf("servers = %q, want the five data centers %q", got, want)
	}
	for _, p := range []string{"/OAuth/Token", "/Discovery"} {
		item := doc.Paths.Value(p)
		if len(item.Servers) != 1 || item.Servers[0].URL != "https://auth.xink.io" {
			t.Errorf("%s must be served by https://auth.xink.io (path-level servers)", p)
		}
	}
	cc := doc.Components.SecuritySchemes["oauth2"].Value.Flows.ClientCredentials
	if cc.TokenURL != "https://auth.xink.io/OAuth/Token" {
		t.Errorf("tokenUrl = %q", cc.TokenURL)
	}
	if len(cc.Scopes) != 7 {
		t.Errorf("%d scopes declared, want the seven documented ones", len(cc.Scopes))
	}
}
