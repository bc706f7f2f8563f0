package mockserver

import (
	"html"
	"regexp"
	"testing"
)

// renderRegexp is the straightforward definition render must match.
func renderRegexp(tpl string, e *employee, escape bool) string {
	re := regexp.MustCompile(placeholderPattern)
	return re.ReplaceAllStringFunc(tpl, func(m string) string {
		v := derefStr(e.get(re.FindStringSubmatch(m)[1]))
		if escape {
			return html.EscapeString(v)
		}
		return v
	})
}

func renderEmployee() *employee {
	return &employee{email: "zoe@example.com", fields: []field{
		{name: "FirstName", value: strPtr("Zoë")},
		{name: "JobTitle", value: strPtr(`<b>"Boss" & co</b>`)},
		{name: "Phone", value: nil},
		{name: "x_1", value: strPtr("((FirstName))")},
	}}
}

func TestRenderMatchesRegexp(t *testing.T) {
	e := renderEmployee()
	for _, tpl := range []string{
		"", "plain", "((FirstName))", "(( FirstName ))", "((\tJobTitle\n))", "(((FirstName)))",
		"((FirstName)", "((First Name))", "(())", "((  ))", "((x_1))((Email))", "((Phone))|((Unknown))",
		"a((FirstName))b((JobTitle))c", "((((FirstName))))", "((FirstName))((", "é((FirstName))é",
	} {
		for _, escape := range []bool{true, false} {
			if got, want := render(tpl, e, escape), renderRegexp(tpl, e, escape); got != want {
				t.Errorf("render(%q, escape=%v) = %q, want %q", tpl, escape, got, want)
			}
		}
	}
}

// FuzzRenderMatchesRegexp holds the hand-written scanner to the regular
// expression on any template.
func FuzzRenderMatchesRegexp(f *testing.F) {
	for _, s := range []string{"((FirstName))", "(( JobTitle ))x((", "(((Email)))", "((x_1))((Phone))"} {
		f.Add(s)
	}
	e := renderEmployee()
	f.Fuzz(func(t *testing.T, tpl string) {
		for _, escape := range []bool{true, false} {
			if got, want := render(tpl, e, escape), renderRegexp(tpl, e, escape); got != want {
				t.Fatalf("render(%q, escape=%v) = %q, want %q", tpl, escape, got, want)
			}
		}
	})
}
