package mockserver

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3filter"
)

// TestStrictModeCatchesABadResponse feeds the strict validator a response that breaks the
// spec (Success missing, wrong type) and checks it becomes a recorded 500.
func TestStrictModeCatchesABadResponse(t *testing.T) {
	s, err := New(WithStrictResponses(true))
	if err != nil {
		t.Fatal(err)
	}
	req := httptest.NewRequest(http.MethodGet, "/api/1.0/employee/list", nil)
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		t.Fatal(err)
	}
	in := &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route}
	for _, tc := range []struct {
		status int
		body   string
	}{
		{200, `{"Total":"many"}`},
		{200, `{"Success":true,"Employees":[{"FirstName":"no email"}]}`},
		{418, `{"Success":false}` + "\n"}, // only `default` matches a non-5xx status: a violation
		{503, `{"Success":false}` + "\n"}, // 5xx may fall back to default: valid
	} {
		w := httptest.NewRecorder()
		rec := &recorder{w: w, buffer: true, header: http.Header{}}
		rec.Header().Set("Content-Type", "application/json")
		rec.WriteHeader(tc.status)
		_, _ = rec.Write([]byte(tc.body))
		before := len(s.StrictViolations())
		s.validateResponse(rec, req.WithContext(context.Background()), in)
		rec.flush()
		violated := len(s.StrictViolations()) > before
		if tc.status == 503 {
			if violated || w.Code != 503 {
				t.Errorf("a valid default response was flagged: %d %v", w.Code, s.StrictViolations())
			}
			continue
		}
		if !violated || w.Code != 500 {
			t.Fatalf("%s: status %d, violations %d", tc.body, w.Code, len(s.StrictViolations()))
		}
		var env map[string]any
		if err := json.Unmarshal(w.Body.Bytes(), &env); err != nil || env["Success"] != false || !strings.Contains(env["Error"].(string), "strict mode") {
			t.Errorf("replacement body %s", w.Body.String())
		}
	}
}
