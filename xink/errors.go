package xink

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Sentinel errors matched by errors.Is against an *Error's status code.
var (
	// ErrBadRequest matches a 400: Xink refused the request as malformed (Error.Message names
	// the field and the problem).
	ErrBadRequest = errors.New("xink: bad request")
	// ErrUnauthorized matches a 401: the token is missing, expired or revoked, or the client
	// credentials were refused.
	ErrUnauthorized = errors.New("xink: unauthorized")
	// ErrForbidden matches a 403: the token lacks the operation's scope (see Error.Scope).
	ErrForbidden = errors.New("xink: forbidden")
	// ErrNotFound matches a 404: no such employee, mailbox, image, template or account.
	ErrNotFound = errors.New("xink: not found")
	// ErrConflict matches a 409: the item exists already.
	ErrConflict = errors.New("xink: conflict")
	// ErrRateLimited matches a 429: too many requests (see Error.RetryAfter).
	ErrRateLimited = errors.New("xink: rate limited")
	// ErrInvalidArgument matches an *ArgumentError: the client refused the input before
	// sending any request.
	ErrInvalidArgument = errors.New("xink: invalid argument")
	// ErrTooLarge matches an upload that is larger than the size guard allows.
	ErrTooLarge = errors.New("xink: upload too large")
	// ErrResponseTooLarge matches a successful response whose body is larger than
	// MaxResponseBytes (32 MiB): the client stops reading and decodes nothing.
	ErrResponseTooLarge = errors.New("xink: response body larger than 32 MiB (MaxResponseBytes)")
)

// Error is the error every operation returns when Xink answers with a status outside 2xx, or
// with a 2xx envelope whose Success is false. Use errors.As to read it and errors.Is with the
// sentinels (ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict,
// ErrRateLimited).
type Error struct {
	// Operation is the spec's operationId of the failed call, e.g. "getEmployee".
	Operation string
	// Method and URL of the request (the URL without query string).
	Method, URL string
	// StatusCode is the HTTP status, e.g. 404.
	StatusCode int
	// Message is Xink's human-readable `Error` text from the response envelope, if any.
	Message string
	// Code is the OAuth error code from the body (`error`, token endpoint) or from
	// WWW-Authenticate (`invalid_token`, `insufficient_scope`).
	Code string
	// Description is the OAuth `error_description`, from the body or WWW-Authenticate.
	Description string
	// Scope is the scope a 403 asks for (WWW-Authenticate `scope`), e.g. "employeectrl".
	Scope string
	// RequestID is the server's request id (X-Request-Id or Request-Id), if it sent one.
	RequestID string
	// RetryAfter is the wait the server asked for with Retry-After (429, 503), capped at
	// 24 hours (a longer wait, or an HTTP date further ahead, reads as 24h), or zero when
	// there is none or the date has passed. The client never sleeps longer than
	// RetryPolicy.MaxDelay: a longer Retry-After is returned as this error instead.
	RetryAfter time.Duration
	// Body is the raw response body (at most 64 KiB of it).
	Body []byte
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("xink: ")
	if e.Operation != "" {
		b.WriteString(e.Operation)
		b.WriteString(": ")
	}
	if e.StatusCode != 0 {
		fmt.Fprintf(&b, "%d %s", e.StatusCode, http.StatusText(e.StatusCode))
	}
	switch {
	case e.Message != "":
		b.WriteString(": ")
		b.WriteString(e.Message)
	case e.Description != "":
		b.WriteString(": ")
		b.WriteString(e.Description)
	}
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s", e.Code)
		if e.Scope != "" {
			fmt.Fprintf(&b, ", needs scope %q", e.Scope)
		}
		b.WriteString(")")
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request %s]", e.RequestID)
	}
	return b.String()
}

// Is reports whether target is the sentinel for e's status code.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrBadRequest:
		return e.StatusCode == http.StatusBadRequest
	case ErrUnauthorized:
		return e.StatusCode == http.StatusUnauthorized
	case ErrForbidden:
		return e.StatusCode == http.StatusForbidden
	case ErrNotFound:
		return e.StatusCode == http.StatusNotFound
	case ErrConflict:
		return e.StatusCode == http.StatusConflict
	case ErrRateLimited:
		return e.StatusCode == http.StatusTooManyRequests
	}
	return false
}

// maxErrorBody bounds how much of a response body an *Error keeps.
const maxErrorBody = 64 << 10

// newError builds an *Error from a response and its (already read) body.
func newError(op string, resp *http.Response, body []byte) *Error {
	e := &Error{Operation: op, StatusCode: resp.StatusCode}
	if resp.Request != nil {
		e.Method = resp.Request.Method
		u := *resp.Request.URL
		u.RawQuery, u.Fragment = "", ""
		e.URL = u.String()
	}
	if len(body) > maxErrorBody {
		body = body[:maxErrorBody]
	}
	e.Body = body
	e.RequestID = firstHeader(resp.Header, "X-Request-Id", "Request-Id", "X-Correlation-Id")
	e.RetryAfter, _ = parseRetryAfter(resp.Header.Get("Retry-After"), time.Now())
	var env struct {
		Error            json.RawMessage `json:"Error"`
		OAuthError       string          `json:"error"`
		ErrorDescription *string         `json:"error_description"`
	}
	if json.Unmarshal(body, &env) == nil {
		var msg string
		if json.Unmarshal(env.Error, &msg) == nil {
			e.Message = msg
		}
		e.Code = env.OAuthError
		if env.ErrorDescription != nil {
			e.Description = *env.ErrorDescription
		}
	}
	if ch := parseBearerChallenge(resp.Header.Values("WWW-Authenticate")); ch != nil {
		if e.Code == "" {
			e.Code = ch["error"]
		}
		if e.Description == "" {
			e.Description = ch["error_description"]
		}
		e.Scope = ch["scope"]
	}
	return e
}

func firstHeader(h http.Header, names ...string) string {
	for _, n := range names {
		if v := h.Get(n); v != "" {
			return v
		}
	}
	return ""
}

// maxRetryAfter caps a Retry-After value (a seconds value, or an HTTP date decades ahead).
const maxRetryAfter = 24 * time.Hour

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date, capped at
// maxRetryAfter (Error.RetryAfter documents the cap).
func parseRetryAfter(v string, now time.Time) (time.Duration, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0, false
	}
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs < 0 {
			return 0, false
		}
		if secs > int64(maxRetryAfter/time.Second) {
			secs = int64(maxRetryAfter / time.Second)
		}
		return time.Duration(secs) * time.Second, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := min(t.Sub(now), maxRetryAfter) // the same cap as for seconds (a date decades ahead)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}

// parseBearerChallenge returns the auth-params of the first Bearer challenge in the given
// WWW-Authenticate values (RFC 6750 section 3), or nil when there is none.
func parseBearerChallenge(values []string) map[string]string {
	for _, v := range values {
		s := strings.TrimSpace(v)
		if len(s) < 6 || !strings.EqualFold(s[:6], "bearer") {
			continue
		}
		params := map[string]string{}
		s = s[6:]
		for {
			s = strings.TrimLeft(s, " ,\t")
			if s == "" {
				break
			}
			eq := strings.IndexByte(s, '=')
			if eq <= 0 {
				break
			}
			key := strings.ToLower(strings.TrimSpace(s[:eq]))
			s = strings.TrimLeft(s[eq+1:], " \t")
			var val string
			if strings.HasPrefix(s, `"`) {
				var b strings.Builder
				i := 1
				for ; i < len(s); i++ {
					c := s[i]
					if c == '\\' && i+1 < len(s) {
						i++
						b.WriteByte(s[i])
						continue
					}
					if c == '"' {
						break
					}
					b.WriteByte(c)
				}
				val = b.String()
				if i < len(s) {
					i++
				}
				s = s[i:]
			} else {
				end := strings.IndexAny(s, ", \t")
				if end < 0 {
					end = len(s)
				}
				val, s = s[:end], s[end:]
			}
			params[key] = val
		}
		return params
	}
	return nil
}

// ArgumentError reports input the client refused before sending any request. It matches
// ErrInvalidArgument with errors.Is.
type ArgumentError struct {
	// Operation is the spec's operationId of the refused call.
	Operation string
	// Field names the argument, e.g. "email".
	Field string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements the error interface.
func (e *ArgumentError) Error() string {
	if e.Operation != "" {
		return fmt.Sprintf("xink: %s: invalid %s: %s", e.Operation, e.Field, e.Reason)
	}
	return fmt.Sprintf("xink: invalid %s: %s", e.Field, e.Reason)
}

// Is reports whether target is ErrInvalidArgument.
func (e *ArgumentError) Is(target error) bool { return target == ErrInvalidArgument }

// opError prefixes an error with the operation it belongs to ("xink: getToken: ..."). The
// package prefix of a wrapped xink error (a sentinel such as ErrTooLarge) is not repeated.
type opError struct {
	op  string
	err error
}

func (e *opError) Error() string {
	return "xink: " + e.op + ": " + strings.TrimPrefix(e.err.Error(), "xink: ")
}
func (e *opError) Unwrap() error { return e.err }

// wrapOp attributes err to op unless it already carries an operation.
func wrapOp(op string, err error) error {
	var oe *opError
	var xe *Error
	var ae *ArgumentError
	if errors.As(err, &oe) || errors.As(err, &xe) || errors.As(err, &ae) {
		return err
	}
	return &opError{op: op, err: err}
}
