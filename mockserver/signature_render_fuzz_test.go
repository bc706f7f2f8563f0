package mockserver

import (
	"regexp"
	"strings"
	"testing"
)

var fieldName = regexp.MustCompile(`^[A-Za-z0-9_]+$`)

// FuzzRenderEscapesFieldValues: whatever an employee's field holds, rendering a signature's
// Html never lets a markup character of the value through unescaped (the value adds no
// '<', '>', '"' or '\” to the output), while PlainText carries the value verbatim.
func FuzzRenderEscapesFieldValues(f *testing.F) {
	f.Add("<p>((JobTitle))</p>", "JobTitle", `<script>alert("x")</script>`)
	f.Add("((FirstName)) ((FirstName))", "FirstName", "<img src=x onerror=alert(1)>")
	f.Add("<a href=\"((WebSite))\">site</a>", "WebSite", `javascript:alert('x')" onmouseover="x`)
	f.Add("(( Phone ))", "Phone", "((Phone))<")
	f.Add("((Email))", "Email", "&lt;b&gt;")
	f.Add("", "x_1", "\x00<\xff>")
	f.Fuzz(func(t *testing.T, tpl, name, value string) {
		if !fieldName.MatchString(name) || strings.EqualFold(name, "Email") {
			name = "Field"
		}
		tpl += "((" + name + "))" // the value appears at least once
		with := &employee{email: "a@example.com", fields: []field{{name: name, value: &value}}}
		empty := ""
		without := &employee{email: "a@example.com", fields: []field{{name: name, value: &empty}}}
		got, base := render(tpl, with, true), render(tpl, without, true)
		for _, c := range []string{"<", ">", `"`, "'"} {
			if strings.Count(got, c) != strings.Count(base, c) {
				t.Fatalf("Html: the value %q put an unescaped %s into %q (rendered %q)", value, c, tpl, got)
			}
		}
		if plain := render(tpl, with, false); !strings.Contains(plain, value) {
			t.Fatalf("PlainText: %q does not carry the value %q", plain, value)
		}
	})
}
