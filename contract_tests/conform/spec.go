// Package conform holds the spec side of the xink-go contract tests: it
// loads the Xink OpenAPI document, finds the operation of a request,
// validates responses on their raw bytes, decodes them into the generated
// types and re-encodes them to prove no field is lost, compares JSON shapes,
// and computes the drift report between recordings and the spec.
package conform

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/xink-go/xink-go/openapi"
)

// Spec is the loaded Xink OpenAPI document with a router that ignores hosts.
type Spec struct {
	// Doc is the document, with every servers list removed (see NewSpec).
	Doc    *openapi3.T
	router routers.Router
	ops    map[string]Operation
}

// Operation is one spec operation.
type Operation struct {
	// ID is the operationId.
	ID string
	// Method is the HTTP method.
	Method string
	// Path is the path template, e.g. /api/1.0/employee/{email}.
	Path string
	// Provenance is the operation's x-xink-provenance.
	Provenance string
	// Op is the kin-openapi operation.
	Op *openapi3.Operation
}

// LoadSpec loads the embedded openapi/xink.yaml.
func LoadSpec() (*Spec, error) { return NewSpec(openapi.YAML) }

// LoadSpecFile loads a spec from a file (for the drift tool's -spec flag).
func LoadSpecFile(path string) (*Spec, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	return NewSpec(data)
}

// NewSpec parses and validates an OpenAPI document. Top-level, path-level
// and operation-level servers are removed before the router is built: with
// them the router matches hosts and every request to a test server would be
// "no matching operation" (research/pitfalls.md row 13).
func NewSpec(yaml []byte) (*Spec, error) {
	loader := openapi3.NewLoader()
	doc, err := loader.LoadFromData(yaml)
	if err != nil {
		return nil, fmt.Errorf("conform: load spec: %w", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		return nil, fmt.Errorf("conform: spec is invalid: %w", err)
	}
	doc.Servers = nil
	s := &Spec{Doc: doc, ops: map[string]Operation{}}
	for path, item := range doc.Paths.Map() {
		item.Servers = nil
		for method, op := range item.Operations() {
			op.Servers = nil
			prov, _ := op.Extensions["x-xink-provenance"].(string)
			s.ops[op.OperationID] = Operation{ID: op.OperationID, Method: method, Path: path, Provenance: prov, Op: op}
		}
	}
	s.router, err = gorillamux.NewRouter(doc)
	if err != nil {
		return nil, fmt.Errorf("conform: router: %w", err)
	}
	return s, nil
}

// Operations returns every operation sorted by id.
func (s *Spec) Operations() []Operation {
	out := make([]Operation, 0, len(s.ops))
	for _, o := range s.ops {
		out = append(out, o)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Operation returns the operation with the given id.
func (s *Spec) Operation(id string) (Operation, bool) {
	o, ok := s.ops[id]
	return o, ok
}

// ErrNoRoute is returned when the spec has no operation for a method and path.
var ErrNoRoute = errors.New("conform: the spec has no operation for this method and path")

// Find returns the route and path parameters of a request given by method,
// escaped path and raw query.
func (s *Spec) Find(method, path, query string) (*routers.Route, map[string]string, error) {
	req, err := s.request(method, path, query)
	if err != nil {
		return nil, nil, err
	}
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return nil, nil, fmt.Errorf("%w: %s %s (%v)", ErrNoRoute, method, path, err)
	}
	return route, params, nil
}

// OperationID returns the operationId for a method and escaped path, or "".
func (s *Spec) OperationID(method, path string) string {
	route, _, err := s.Find(method, path, "")
	if err != nil {
		return ""
	}
	return route.Operation.OperationID
}

func (s *Spec) request(method, path, query string) (*http.Request, error) {
	u := &url.URL{Scheme: "http", Host: "xink.invalid", RawQuery: query}
	p, err := url.PathUnescape(path)
	if err != nil {
		return nil, fmt.Errorf("conform: path %q: %w", path, err)
	}
	u.Path, u.RawPath = p, path
	return &http.Request{Method: method, URL: u, Host: u.Host, Header: http.Header{}, Body: http.NoBody}, nil
}

// DeclaresStatus reports whether op declares status explicitly (or by a
// range such as 4XX). A 5xx status may also fall back to `default`, which the
// spec reserves for unexpected errors; any other status answered through
// `default` is treated as undeclared.
func DeclaresStatus(op *openapi3.Operation, status int) bool {
	if op.Responses == nil {
		return false
	}
	if op.Responses.Status(status) != nil {
		return true
	}
	return status >= 500 && op.Responses.Default() != nil
}

// ValidateResponse validates a response against the spec on its raw bytes:
// status (undeclared statuses fail: IncludeResponseStatus, and a non-5xx
// status may not hide behind `default`, see DeclaresStatus), headers,
// Content-Type and body schema. It returns nil or an error naming the
// operation and every problem.
func (s *Spec) ValidateResponse(ctx context.Context, method, path, query string, status int, header http.Header, body []byte) error {
	req, err := s.request(method, path, query)
	if err != nil {
		return err
	}
	route, params, err := s.router.FindRoute(req)
	if err != nil {
		return fmt.Errorf("%w: %s %s (%v)", ErrNoRoute, method, path, err)
	}
	opts := &openapi3filter.Options{
		IncludeResponseStatus: true,
		MultiError:            true,
		AuthenticationFunc:    openapi3filter.NoopAuthenticationFunc,
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{Request: req, PathParams: params, Route: route, Options: opts},
		Status:                 status,
		Header:                 header,
		Body:                   io.NopCloser(bytes.NewReader(body)),
		Options:                opts,
	}
	if !DeclaresStatus(route.Operation, status) {
		return fmt.Errorf("%s (%s %s) status %d does not conform: the operation does not declare status %d (only 5xx may fall back to default)",
			route.Operation.OperationID, method, path, status, status)
	}
	if err := openapi3filter.ValidateResponse(ctx, in); err != nil {
		return fmt.Errorf("%s (%s %s) status %d does not conform: %s", route.Operation.OperationID, method, path, status, flatten(err))
	}
	return nil
}

func flatten(err error) string {
	var me openapi3.MultiError
	if errors.As(err, &me) {
		var parts []string
		for _, e := range me {
			parts = append(parts, flatten(e))
		}
		return strings.Join(parts, "; ")
	}
	return strings.Join(strings.Fields(err.Error()), " ")
}
