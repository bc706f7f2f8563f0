package xink

import (
	"fmt"
	"strings"
	"unicode"
)

// checkEmail rejects email path parameters that cannot be routed safely: empty or blank
// (the URL would collapse to "//" and a server redirect could land on another route),
// surrounding white space, no "@", a "/" or "\" (unroutable on ASP.NET/IIS) and control
// characters. Nothing is trimmed silently.
func checkEmail(op, field, email string) error {
	bad := func(reason string) error { return &ArgumentError{Operation: op, Field: field, Reason: reason} }
	switch {
	case strings.TrimSpace(email) == "":
		return bad("must not be empty")
	case strings.TrimSpace(email) != email:
		return bad(fmt.Sprintf("%q has leading or trailing white space", email))
	case strings.ContainsAny(email, `/\`):
		return bad(fmt.Sprintf("%q contains a slash, which cannot be sent in a URL path", email))
	case strings.IndexFunc(email, unicode.IsControl) >= 0:
		return bad(fmt.Sprintf("%q contains a control character", email))
	case !strings.Contains(email, "@"):
		return bad(fmt.Sprintf("%q has no @", email))
	}
	return nil
}

// checkID rejects ids below 1 (the spec's minimum).
func checkID(op, field string, id int64) error {
	if id < 1 {
		return &ArgumentError{Operation: op, Field: field, Reason: fmt.Sprintf("must be 1 or more, got %d", id)}
	}
	return nil
}

// checkPathString rejects empty, blank and slash-containing string path parameters.
func checkPathString(op, field, v string) error {
	bad := func(reason string) error { return &ArgumentError{Operation: op, Field: field, Reason: reason} }
	switch {
	case strings.TrimSpace(v) == "":
		return bad("must not be empty")
	case strings.TrimSpace(v) != v:
		return bad(fmt.Sprintf("%q has leading or trailing white space", v))
	case strings.ContainsAny(v, `/\`):
		return bad(fmt.Sprintf("%q contains a slash, which cannot be sent in a URL path", v))
	case strings.IndexFunc(v, unicode.IsControl) >= 0:
		return bad(fmt.Sprintf("%q contains a control character", v))
	}
	return nil
}
