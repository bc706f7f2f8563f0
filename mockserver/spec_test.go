package mockserver_test

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// specOp is one operation of the spec with a request built from its examples.
type specOp struct {
	id, method, path string
	scopes           []string
	examplePath      string
	exampleBody      any
}

func loadSpec(t testing.TB) *openapi3.T {
	t.Helper()
	spec, err := xinkserver.GetSpec()
	if err != nil {
		t.Fatal(err)
	}
	return spec
}

// specOperations lists every operation, with path parameters filled from the seed and the
// JSON request body from the spec's example.
func specOperations(t testing.TB) []specOp {
	t.Helper()
	spec := loadSpec(t)
	params := map[string]string{
		"email": "zoe.ostergaard@example.com", "signatureId": "1", "imageId": "1",
		"accountId": "9d2f6a10-41b5-4f0e-8d0c-5a1e7b3c2d01", "offset": "0", "limit": "2",
	}
	var out []specOp
	for path, pi := range spec.Paths.Map() {
		for method, op := range pi.Operations() {
			o := specOp{id: op.OperationID, method: method, path: path}
			if op.Security != nil {
				for _, req := range *op.Security {
					o.scopes = append(o.scopes, req["oauth2"]...)
				}
			}
			p := path
			for k, v := range params {
				p = strings.ReplaceAll(p, "{"+k+"}", v)
			}
			o.examplePath = p
			if op.RequestBody != nil {
				if mt := op.RequestBody.Value.Content.Get("application/json"); mt != nil && mt.Example != nil {
					b, _ := json.Marshal(mt.Example)
					o.exampleBody = string(b)
				}
			}
			out = append(out, o)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].id < out[j].id })
	return out
}

func TestEveryOperationRoutes(t *testing.T) {
	m, tok := start(t)
	ops := specOperations(t)
	if len(ops) != 33 {
		t.Fatalf("spec has %d operations, want 33", len(ops))
	}
	for _, op := range ops {
		if op.id == "getToken" {
			continue
		}
		r := api(t, m, tok, op.method, op.examplePath, op.exampleBody)
		if r.Status == 404 && strings.Contains(string(r.Body), "no operation matches") || r.Status == 405 || r.Status >= 500 {
			t.Errorf("%s %s: status %d: %s", op.method, op.examplePath, r.Status, r.Body)
		}
		var last string
		for _, e := range m.Server.Journal() {
			last = e.OperationID
		}
		if last != op.id {
			t.Errorf("%s: journal recorded operation %q", op.id, last)
		}
	}
}
