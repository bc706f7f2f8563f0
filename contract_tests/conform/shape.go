package conform

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/google/go-cmp/cmp"
)

// Shape is the structure of a JSON value without its values: its JSON type,
// an object's keys (each with its shape) and an array's element shape (the
// merge of every element's shape).
type Shape struct {
	// Type is object, array, string, number, boolean or null.
	Type string
	// Fields holds an object's keys.
	Fields map[string]Shape
	// Elem is an array's element shape; nil for an empty array (unknown).
	Elem *Shape
}

// ShapeOf returns the shape of a decoded JSON value.
func ShapeOf(v any) Shape {
	switch x := v.(type) {
	case nil:
		return Shape{Type: "null"}
	case bool:
		return Shape{Type: "boolean"}
	case float64, json.Number:
		return Shape{Type: "number"}
	case string:
		return Shape{Type: "string"}
	case []any:
		s := Shape{Type: "array"}
		for _, e := range x {
			es := ShapeOf(e)
			if s.Elem == nil {
				s.Elem = &es
			} else {
				m := merge(*s.Elem, es)
				s.Elem = &m
			}
		}
		return s
	case map[string]any:
		s := Shape{Type: "object", Fields: map[string]Shape{}}
		for k, e := range x {
			s.Fields[k] = ShapeOf(e)
		}
		return s
	default:
		return Shape{Type: fmt.Sprintf("%T", v)}
	}
}

// merge combines the shapes of two array elements: null gives way to the
// other shape, objects take the union of their keys.
func merge(a, b Shape) Shape {
	switch {
	case a.Type == "null":
		return b
	case b.Type == "null":
		return a
	case a.Type != b.Type:
		return Shape{Type: a.Type + "|" + b.Type}
	case a.Type == "object":
		out := Shape{Type: "object", Fields: map[string]Shape{}}
		for k, v := range a.Fields {
			out.Fields[k] = v
		}
		for k, v := range b.Fields {
			if w, ok := out.Fields[k]; ok {
				out.Fields[k] = merge(w, v)
			} else {
				out.Fields[k] = v
			}
		}
		return out
	case a.Type == "array":
		switch {
		case a.Elem == nil:
			return b
		case b.Elem == nil:
			return a
		}
		m := merge(*a.Elem, *b.Elem)
		return Shape{Type: "array", Elem: &m}
	}
	return a
}

// ShapeOptions are the go-cmp options that compare two JSON documents
// (json.RawMessage) by shape: a transformer turns each into a Shape; a null
// on either side matches any type (nullability is a value, not a shape), as
// does the element of an empty array.
func ShapeOptions() cmp.Options {
	return cmp.Options{
		cmp.Transformer("shape", func(b json.RawMessage) Shape {
			var v any
			if len(b) == 0 || json.Unmarshal(b, &v) != nil {
				return Shape{Type: "not JSON"}
			}
			return ShapeOf(v)
		}),
		cmp.FilterValues(func(x, y Shape) bool { return x.Type == "null" || y.Type == "null" }, cmp.Ignore()),
		cmp.FilterValues(func(x, y *Shape) bool { return x == nil || y == nil }, cmp.Ignore()),
	}
}

// ShapeDiff compares two JSON documents by shape (ShapeOptions) and returns
// one readable line per difference, naming the JSON path, e.g.
// "$.Employees[].Phone: only in want (string)". It returns nil when the
// shapes agree.
func ShapeDiff(want, got []byte) []string {
	r := &shapeReporter{}
	cmp.Equal(json.RawMessage(want), json.RawMessage(got), ShapeOptions(), cmp.Reporter(r))
	sort.Strings(r.lines)
	return r.lines
}

type shapeReporter struct {
	path  cmp.Path
	lines []string
}

// PushStep implements cmp.Reporter.
func (r *shapeReporter) PushStep(ps cmp.PathStep) { r.path = append(r.path, ps) }

// PopStep implements cmp.Reporter.
func (r *shapeReporter) PopStep() { r.path = r.path[:len(r.path)-1] }

// Report implements cmp.Reporter: it records one line per difference.
func (r *shapeReporter) Report(rs cmp.Result) {
	if rs.Equal() {
		return
	}
	var b strings.Builder
	b.WriteString("$")
	leafIsType := false
	for _, step := range r.path {
		switch s := step.(type) {
		case cmp.MapIndex:
			fmt.Fprintf(&b, ".%v", s.Key())
		case cmp.StructField:
			switch s.Name() {
			case "Elem":
				b.WriteString("[]")
			case "Type":
				leafIsType = true
			}
		}
	}
	vx, vy := r.path.Last().Values()
	desc := func(v interface{ IsValid() bool }) bool { return v.IsValid() }
	switch {
	case leafIsType:
		r.lines = append(r.lines, fmt.Sprintf("%s: type %v in want, %v in got", b.String(), vx, vy))
	case !desc(vx):
		r.lines = append(r.lines, fmt.Sprintf("%s: only in got (%s)", b.String(), shapeType(vy.Interface())))
	case !desc(vy):
		r.lines = append(r.lines, fmt.Sprintf("%s: only in want (%s)", b.String(), shapeType(vx.Interface())))
	default:
		r.lines = append(r.lines, fmt.Sprintf("%s: %v in want, %v in got", b.String(), vx, vy))
	}
}

func shapeType(v any) string {
	if s, ok := v.(Shape); ok {
		return s.Type
	}
	return fmt.Sprint(v)
}
