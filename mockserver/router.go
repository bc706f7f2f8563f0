package mockserver

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"path"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/routers"
)

// muxRouter finds a request's spec operation with Go's ServeMux, using the
// same method-and-path patterns the generated handler dispatches on. The
// operation that is validated is therefore always the one that is served
// (gorillamux matches the encoded path, ServeMux the decoded segments:
// pitfalls row 3), and a lookup costs no regular expressions.
//
// Requests it cannot place exactly (no pattern, another method, a path that
// is not clean) go to the gorillamux router, which tells 404 from 405; the
// generated handler's strict middleware still checks that both agree.
type muxRouter struct {
	mux      *http.ServeMux
	routes   map[string]*muxRoute // by ServeMux pattern
	fallback routers.Router
}

type muxRoute struct {
	route    *routers.Route
	segments []string // the path split at "/"; "{name}" marks a parameter
}

func newMuxRouter(spec *openapi3.T, fallback routers.Router) (*muxRouter, error) {
	m := &muxRouter{mux: http.NewServeMux(), routes: map[string]*muxRoute{}, fallback: fallback}
	for _, p := range spec.Paths.InMatchingOrder() {
		for method := range spec.Paths.Value(p).Operations() {
			pattern := method + " " + p
			// Ask gorillamux for the route once, with a sample path, so the route
			// handed to the validator is exactly the one it would have built.
			segs := strings.Split(p, "/")
			for i, s := range segs {
				if strings.HasPrefix(s, "{") {
					segs[i] = "1" // valid for integer and string parameters alike
				}
			}
			sample := strings.Join(segs, "/")
			route, _, err := fallback.FindRoute(httptest.NewRequest(method, sample, nil))
			if err != nil || route.Path != p || route.Method != method {
				return nil, fmt.Errorf("router: %s: gorillamux does not resolve the sample path %s to it", pattern, sample)
			}
			m.mux.Handle(pattern, http.NotFoundHandler()) // only Handler() is used, never ServeHTTP
			m.routes[pattern] = &muxRoute{route: route, segments: strings.Split(p, "/")}
		}
	}
	return m, nil
}

// FindRoute returns the route and the raw (still percent-encoded) path
// parameters, like routers.Router.
func (m *muxRouter) FindRoute(r *http.Request) (*routers.Route, map[string]string, error) {
	ep := r.URL.EscapedPath()
	if path.Clean(ep) != ep {
		return m.fallback.FindRoute(r)
	}
	_, pattern := m.mux.Handler(r)
	mr := m.routes[pattern]
	if mr == nil || mr.route.Method != r.Method {
		return m.fallback.FindRoute(r)
	}
	segs := strings.Split(ep, "/")
	if len(segs) != len(mr.segments) {
		return m.fallback.FindRoute(r)
	}
	var params map[string]string
	for i, s := range mr.segments {
		if name, ok := strings.CutPrefix(s, "{"); ok {
			if params == nil {
				params = make(map[string]string, 2)
			}
			params[strings.TrimSuffix(name, "}")] = segs[i]
		}
	}
	return mr.route, params, nil
}
