package conform

import (
	"encoding/json"
	"fmt"
	"io"
	"math"
	"mime"
	"slices"
	"sort"
	"strings"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/xink-go/xink-go/contract_tests/cassette"
)

// Kinds of drift finding.
const (
	KindUnknownField      = "field not in spec"
	KindTypeMismatch      = "type mismatch"
	KindRequiredNeverSeen = "required field never seen"
	KindUndeclaredStatus  = "status not in spec"
	KindUnknownRoute      = "route not in spec"
	KindContentType       = "content type not in spec"
)

// Finding is one difference between recorded traffic and the spec.
type Finding struct {
	// Operation is the operationId ("" when the route is not in the spec).
	Operation string `json:"operation"`
	// Route is "METHOD /path/template" (or the recorded path for unknown routes).
	Route string `json:"route"`
	// Kind is one of the Kind constants.
	Kind string `json:"kind"`
	// Path is the JSON path from the response schema's name, e.g.
	// EmployeeListResult.Employees[].Phone ("" for status and route findings).
	Path string `json:"path,omitempty"`
	// Detail says what was expected and what was seen.
	Detail string `json:"detail"`
	// SeenTypes lists the JSON types seen (for field and type findings).
	SeenTypes []string `json:"seenTypes,omitempty"`
	// Example is the first value seen (for field and type findings).
	Example string `json:"example,omitempty"`
	// Seen lists where it was seen, as cassette#interaction (at most 5).
	Seen []string `json:"seen,omitempty"`
	// Count is how many times it was seen.
	Count int `json:"count"`
}

// DriftReport is the result of Drift.
type DriftReport struct {
	// Cassettes and Interactions count what was read.
	Cassettes    int `json:"cassettes"`
	Interactions int `json:"interactions"`
	// Provenance counts cassettes per provenance.
	Provenance map[string]int `json:"provenance"`
	// Operations counts recorded interactions per operation.
	Operations map[string]int `json:"operations"`
	// Findings are sorted by operation, kind and path.
	Findings []Finding `json:"findings"`
	// Unseen lists optional properties the spec declares that no recorded
	// object at that path carried (information, not drift: a field may
	// simply be absent in the traffic recorded so far; next to a "field not
	// in spec" it hints at a rename).
	Unseen []Finding `json:"unseen,omitempty"`
}

// HasDrift reports whether any finding was made.
func (r *DriftReport) HasDrift() bool { return len(r.Findings) > 0 }

type opState struct {
	visited  map[string][]string // object path -> its required properties
	declared map[string][]string // object path -> all its properties
	present  map[string]bool     // property path seen present
	findings map[string]*Finding
	route    string
}

// Drift compares recorded responses with the spec and lists, per operation:
// fields seen but not in the spec, type mismatches, required fields never
// seen (in any recorded object at that path), statuses and content types the
// spec does not declare, and routes the spec lacks.
func Drift(s *Spec, cassettes []*cassette.Cassette) *DriftReport {
	rep := &DriftReport{Provenance: map[string]int{}, Operations: map[string]int{}}
	states := map[string]*opState{}
	state := func(op, route string) *opState {
		st := states[op]
		if st == nil {
			st = &opState{visited: map[string][]string{}, declared: map[string][]string{}, present: map[string]bool{}, findings: map[string]*Finding{}, route: route}
			states[op] = st
		}
		return st
	}
	for _, c := range cassettes {
		rep.Cassettes++
		rep.Provenance[c.Provenance]++
		for i, in := range c.Interactions {
			rep.Interactions++
			where := fmt.Sprintf("%s#%d", c.Name, i)
			req, resp := in.Request, in.Response
			route, _, err := s.Find(req.Method, req.Path, req.Query)
			if err != nil {
				st := state("", "")
				st.add(Finding{Kind: KindUnknownRoute, Route: req.Method + " " + req.Path,
					Detail: "no operation in the spec for " + req.Method + " " + req.Path}, where)
				continue
			}
			op := route.Operation
			rep.Operations[op.OperationID]++
			st := state(op.OperationID, route.Method+" "+route.Path)
			if !DeclaresStatus(op, resp.Status) {
				st.add(Finding{Kind: KindUndeclaredStatus, Detail: fmt.Sprintf("status %d; declared: %s", resp.Status, declared(op))}, where)
			}
			rr := op.Responses.Status(resp.Status)
			if rr == nil {
				rr = op.Responses.Default()
			}
			if rr == nil || rr.Value == nil {
				continue
			}
			ct := ""
			for k, vs := range resp.Headers {
				if strings.EqualFold(k, "Content-Type") && len(vs) > 0 {
					ct = vs[0]
				}
			}
			mt, _, _ := mime.ParseMediaType(ct)
			media := rr.Value.Content.Get(mt)
			if media == nil {
				if !resp.Body.Empty() || len(rr.Value.Content) > 0 {
					st.add(Finding{Kind: KindContentType, Detail: fmt.Sprintf("status %d answered %q; declared: %s", resp.Status, ct, strings.Join(contentTypes(rr.Value.Content), ", "))}, where)
				}
				continue
			}
			body, err := resp.Bytes()
			if err != nil || media.Schema == nil {
				continue
			}
			var v any
			dec := json.NewDecoder(strings.NewReader(string(body)))
			dec.UseNumber()
			if err := dec.Decode(&v); err != nil {
				st.add(Finding{Kind: KindTypeMismatch, Path: rootName(media.Schema, op.OperationID, resp.Status), Detail: "body is not JSON: " + err.Error()}, where)
				continue
			}
			st.walk(rootName(media.Schema, op.OperationID, resp.Status), media.Schema, v, where)
		}
	}
	for id, st := range states {
		for obj, req := range st.visited {
			for _, r := range req {
				p := obj + "." + r
				if !st.present[p] {
					st.add(Finding{Kind: KindRequiredNeverSeen, Path: p, Detail: "required by the spec, absent from every recorded " + obj}, "")
				}
			}
		}
		for obj, props := range st.declared {
			for _, p := range props {
				if !st.present[obj+"."+p] && !slices.Contains(st.visited[obj], p) {
					rep.Unseen = append(rep.Unseen, Finding{Operation: id, Route: st.route, Kind: "declared, never seen",
						Path: obj + "." + p, Detail: "optional in the spec, absent from every recorded " + obj})
				}
			}
		}
		for _, f := range st.findings {
			f.Operation = id
			if f.Route == "" {
				f.Route = st.route
			}
			rep.Findings = append(rep.Findings, *f)
		}
	}
	sort.Slice(rep.Unseen, func(i, j int) bool {
		a, b := rep.Unseen[i], rep.Unseen[j]
		if a.Operation != b.Operation {
			return a.Operation < b.Operation
		}
		return a.Path < b.Path
	})
	sort.Slice(rep.Findings, func(i, j int) bool {
		a, b := rep.Findings[i], rep.Findings[j]
		if a.Operation != b.Operation {
			return a.Operation != "" && (b.Operation == "" || a.Operation < b.Operation)
		}
		if a.Kind != b.Kind {
			return a.Kind < b.Kind
		}
		if a.Path != b.Path {
			return a.Path < b.Path
		}
		return a.Detail < b.Detail
	})
	return rep
}

func (st *opState) add(f Finding, where string) {
	key := f.Kind + "\x00" + f.Path + "\x00" + f.Detail + "\x00" + f.Route
	have := st.findings[key]
	if have == nil {
		have = &f
		st.findings[key] = have
	}
	have.Count++
	for _, t := range f.SeenTypes {
		if !slices.Contains(have.SeenTypes, t) {
			have.SeenTypes = append(have.SeenTypes, t)
			sort.Strings(have.SeenTypes)
		}
	}
	if have.Example == "" || have.Example == "null" {
		have.Example = f.Example
	}
	if where != "" && len(have.Seen) < 5 && !slices.Contains(have.Seen, where) {
		have.Seen = append(have.Seen, where)
	}
}

func declared(op *openapi3.Operation) string {
	var out []string
	for k := range op.Responses.Map() {
		out = append(out, k)
	}
	sort.Strings(out)
	return strings.Join(out, ", ")
}

func contentTypes(c openapi3.Content) []string {
	var out []string
	for k := range c {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func rootName(sr *openapi3.SchemaRef, op string, status int) string {
	if i := strings.LastIndex(sr.Ref, "/"); sr.Ref != "" && i >= 0 {
		return sr.Ref[i+1:]
	}
	return fmt.Sprintf("%s.%d", op, status)
}

func jsonType(v any) string {
	switch v.(type) {
	case nil:
		return "null"
	case bool:
		return "boolean"
	case json.Number, float64:
		return "number"
	case string:
		return "string"
	case []any:
		return "array"
	case map[string]any:
		return "object"
	}
	return fmt.Sprintf("%T", v)
}

// typeOK reports whether v has one of the schema's types.
func typeOK(s *openapi3.Schema, v any) bool {
	jt := jsonType(v)
	if jt == "null" {
		return s.Nullable || (s.Type != nil && s.Type.Includes("null"))
	}
	if s.Type == nil || len(*s.Type) == 0 {
		return true
	}
	for _, t := range *s.Type {
		switch {
		case t == jt:
			return true
		case t == "integer" && jt == "number":
			if n, ok := v.(json.Number); ok {
				if f, err := n.Float64(); err == nil && f == math.Trunc(f) && !strings.ContainsAny(string(n), ".eE") {
					return true
				}
			}
		}
	}
	return false
}

func describe(s *openapi3.Schema) string {
	t := "any"
	if s.Type != nil && len(*s.Type) > 0 {
		t = strings.Join(*s.Type, "|")
	}
	if s.Nullable {
		t += " (nullable)"
	}
	return t
}

// example renders a value briefly for a finding.
func example(v any) string {
	switch x := v.(type) {
	case json.Number:
		return string(x)
	case string:
		if r := []rune(x); len(r) > 30 {
			x = string(r[:30]) + "..."
		}
		return fmt.Sprintf("%q", x)
	case nil:
		return "null"
	case bool:
		return fmt.Sprint(x)
	}
	return ""
}

func (st *opState) walk(path string, sr *openapi3.SchemaRef, v any, where string) {
	if sr == nil || sr.Value == nil {
		return
	}
	s := sr.Value
	if !typeOK(s, v) {
		st.add(Finding{Kind: KindTypeMismatch, Path: path, Detail: "spec " + describe(s), SeenTypes: []string{jsonType(v)}, Example: example(v)}, where)
		return
	}
	switch x := v.(type) {
	case map[string]any:
		if _, ok := st.visited[path]; !ok || len(st.visited[path]) == 0 {
			st.visited[path] = append([]string(nil), s.Required...)
		}
		if _, ok := st.declared[path]; !ok {
			st.declared[path] = propNames(s)
		}
		keys := make([]string, 0, len(x))
		for k := range x {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		for _, k := range keys {
			p := path + "." + k
			st.present[p] = true
			prop, ok := s.Properties[k]
			if !ok {
				if ap := s.AdditionalProperties.Schema; ap != nil {
					st.walk(p, ap, x[k], where)
					continue
				}
				st.add(Finding{Kind: KindUnknownField, Path: p, Detail: fmt.Sprintf("%s declares %s", path, strings.Join(propNames(s), ", ")),
					SeenTypes: []string{jsonType(x[k])}, Example: example(x[k])}, where)
				continue
			}
			st.walk(p, prop, x[k], where)
		}
	case []any:
		for _, e := range x {
			st.walk(path+"[]", s.Items, e, where)
		}
	}
}

func propNames(s *openapi3.Schema) []string {
	var out []string
	for k := range s.Properties {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// WriteUnseen writes the Unseen list, one line per property.
func (r *DriftReport) WriteUnseen(w io.Writer) error {
	var b strings.Builder
	fmt.Fprintf(&b, "\n(information) %d optional propert(ies) declared but never seen:\n", len(r.Unseen))
	for _, f := range r.Unseen {
		fmt.Fprintf(&b, "  %-22s %s\n", f.Operation, f.Path)
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// WriteText writes the report for people: a summary line, then one block per
// operation with one line per finding, then the routes the spec lacks.
func (r *DriftReport) WriteText(w io.Writer) error {
	var b strings.Builder
	provs := make([]string, 0, len(r.Provenance))
	for k, n := range r.Provenance {
		provs = append(provs, fmt.Sprintf("%d %s", n, k))
	}
	sort.Strings(provs)
	status := "no drift"
	if r.HasDrift() {
		ops := map[string]bool{}
		for _, f := range r.Findings {
			ops[f.Operation] = true
		}
		status = fmt.Sprintf("DRIFT: %d finding(s) in %d operation(s)", len(r.Findings), len(ops))
	}
	fmt.Fprintf(&b, "xinkdrift: %s (%d cassettes: %s; %d interactions; %d operations recorded)\n",
		status, r.Cassettes, strings.Join(provs, ", "), r.Interactions, len(r.Operations))
	last := "\x00"
	for _, f := range r.Findings {
		if f.Operation != last {
			last = f.Operation
			if f.Operation == "" {
				b.WriteString("\n(routes the spec lacks)\n")
			} else {
				fmt.Fprintf(&b, "\n%s  %s\n", f.Operation, f.Route)
			}
		}
		subject := f.Path
		if subject == "" {
			subject = f.Route
			if f.Operation != "" {
				subject = "-"
			}
		}
		detail := f.Detail
		if len(f.SeenTypes) > 0 {
			detail = "seen " + strings.Join(f.SeenTypes, "|") + "; " + detail
		}
		fmt.Fprintf(&b, "  %-26s %s: %s", f.Kind, subject, detail)
		if f.Example != "" {
			fmt.Fprintf(&b, " (e.g. %s)", f.Example)
		}
		if len(f.Seen) > 0 {
			fmt.Fprintf(&b, "  [seen %dx: %s]", f.Count, strings.Join(f.Seen, ", "))
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
