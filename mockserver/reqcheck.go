package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"net/http"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// checkJSONBody makes the checks a JSON decoder skips on a request body the operation takes
// as JSON: the charset must be UTF-8, the bytes valid UTF-8, the body one JSON value with
// nothing after it, and no object may repeat a key. It returns the 400 message, or the read
// error (too large, timed out). A body that is not JSON at all is left to the validator, which
// names the syntax error. The body is put back for the validator and the handler.
func checkJSONBody(r *http.Request, op *openapi3.Operation) (string, error) {
	if r.Body == nil || r.Body == http.NoBody || op.RequestBody == nil || op.RequestBody.Value == nil ||
		op.RequestBody.Value.Content.Get("application/json") == nil {
		return "", nil
	}
	mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
	if err != nil || (mt != "application/json" && !strings.HasSuffix(mt, "+json")) {
		return "", nil // the validator answers a missing or wrong Content-Type
	}
	if cs, ok := params["charset"]; ok && !strings.EqualFold(cs, "utf-8") {
		return fmt.Sprintf("Content-Type: charset %q is not supported: JSON bodies must be UTF-8 (send charset=utf-8 or no charset)", cs), nil
	}
	b, err := io.ReadAll(r.Body)
	if err != nil {
		return "", err
	}
	r.Body = io.NopCloser(bytes.NewReader(b))
	if !utf8.Valid(b) {
		at := 0
		for at < len(b) {
			c, n := utf8.DecodeRune(b[at:])
			if c == utf8.RuneError && n <= 1 {
				break
			}
			at += n
		}
		return fmt.Sprintf("request body: not valid UTF-8 (first bad byte at offset %d); JSON must be UTF-8", at), nil
	}
	return jsonStructure(b), nil
}

// maxJSONDepth is encoding/json's nesting limit; jsonStructure stops walking there.
const maxJSONDepth = 10000

// jsonStructure walks the tokens of b: it names data after the first JSON value and a key
// repeated in one object (encoding/json would silently keep the last). Syntax errors are
// left to the validator. Cost: one pass, a key set per object that has keys.
func jsonStructure(b []byte) string {
	type frame struct {
		object  bool
		wantKey bool
		keys    map[string]struct{}
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var stack []frame
	done := false
	valueEnds := func() {
		if len(stack) == 0 {
			done = true
		} else if top := &stack[len(stack)-1]; top.object {
			top.wantKey = true
		}
	}
	for {
		end := dec.InputOffset()
		tok, err := dec.Token()
		if done {
			if errors.Is(err, io.EOF) {
				return ""
			}
			return fmt.Sprintf("request body: data after the JSON value (at offset %d); send exactly one JSON value", end)
		}
		if err != nil {
			return ""
		}
		switch t := tok.(type) {
		case json.Delim:
			switch t {
			case '{', '[':
				if len(stack) >= maxJSONDepth {
					return "" // encoding/json's own limit; the validator names it
				}
				stack = append(stack, frame{object: t == '{', wantKey: t == '{'})
			default:
				stack = stack[:len(stack)-1]
				valueEnds()
			}
		case string:
			if len(stack) > 0 && stack[len(stack)-1].object && stack[len(stack)-1].wantKey {
				top := &stack[len(stack)-1]
				if top.keys == nil {
					top.keys = map[string]struct{}{}
				}
				if _, dup := top.keys[t]; dup {
					return fmt.Sprintf("request body: key %q appears more than once in one object", truncate(t))
				}
				top.keys[t] = struct{}{}
				top.wantKey = false
				continue
			}
			valueEnds()
		default:
			valueEnds()
		}
	}
}

// declaresStatus is the contract tests' rule (conform.DeclaresStatus, kept in step by
// TestDeclaresStatusMatchesContractTests): an operation declares a status explicitly or by a
// range such as 4XX; only a 5xx may fall back to `default`, which the spec reserves for
// unexpected errors. The mock keeps its own copy so its binary does not link the test harness.
func declaresStatus(op *openapi3.Operation, status int) bool {
	if op.Responses == nil {
		return false
	}
	if op.Responses.Status(status) != nil {
		return true
	}
	return status >= 500 && op.Responses.Default() != nil
}

// bodyTooLarge answers a request body over its cap with a status the operation declares:
// 413 where the spec declares it (uploads), otherwise 400, and an RFC 6749 body at the token
// endpoint. Uploads are described by the image limit, the one number users configure.
func (s *Server) bodyTooLarge(w http.ResponseWriter, rs *reqState, limit int64) {
	if rs.opID == "uploadImage" {
		writeEnvelope(w, http.StatusRequestEntityTooLarge, fmt.Sprintf("the image is larger than %d bytes", s.cfg.maxUploadBytes))
		return
	}
	msg := fmt.Sprintf("request body larger than %d bytes", limit)
	if rs.opID == "getToken" {
		writeJSON(w, http.StatusBadRequest, xinkserver.OAuthError{Error: "invalid_request", ErrorDescription: nullStr(msg)})
		return
	}
	if op := s.operation(rs.opID); op != nil && op.Responses.Status(http.StatusRequestEntityTooLarge) != nil {
		writeEnvelope(w, http.StatusRequestEntityTooLarge, msg)
		return
	}
	writeEnvelope(w, http.StatusBadRequest, msg)
}

var undefinedPartRE = regexp.MustCompile(`^part (.*): undefined$`)

// undefinedPart reports the multipart part name kin-openapi found no schema property for.
func undefinedPart(err error) (string, bool) {
	var pe *openapi3filter.ParseError
	if !errors.As(err, &pe) || pe.Cause == nil {
		return "", false
	}
	m := undefinedPartRE.FindStringSubmatch(pe.Cause.Error())
	if m == nil {
		return "", false
	}
	return m[1], true
}

// allowedMethods lists the methods the spec serves on r's path, for a 405's Allow header.
func (s *Server) allowedMethods(r *http.Request) string {
	var out []string
	for _, m := range []string{http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete, http.MethodOptions} {
		r2 := *r
		r2.Method = m
		if route, _, err := s.router.FindRoute(&r2); err == nil && route.Method == m {
			out = append(out, m)
		}
	}
	return strings.Join(out, ", ")
}

// maxEcho caps a client value echoed in an error text.
const maxEcho = 200

// truncate shortens s to at most maxEcho bytes (on a rune boundary) followed by "…".
func truncate(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	cut := maxEcho
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

const preferForm = "Prefer: code=NNN, a three-digit status the operation declares (e.g. Prefer: code=404)"

// preferCode reads a Prism-style "Prefer: code=NNN" header. It returns the code, whether one
// was asked for, and a problem text for a malformed one (code=abc, code=, a 40-digit code).
// White space around "=" is allowed (RFC 7240's BWS); the value may be quoted.
func preferCode(r *http.Request) (code int, ok bool, problem string) {
	for _, h := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(h, ",") {
			for _, kv := range strings.Split(p, ";") {
				k, v, hasValue := strings.Cut(kv, "=")
				if !strings.EqualFold(strings.TrimSpace(k), "code") {
					continue
				}
				v = strings.TrimSpace(v)
				if len(v) >= 2 && v[0] == '"' && v[len(v)-1] == '"' {
					v = v[1 : len(v)-1]
				}
				n, err := strconv.Atoi(v)
				if !hasValue || err != nil || len(v) != 3 || n < 100 {
					return 0, false, fmt.Sprintf("Prefer header: %q is not a valid code preference; use %s", truncate(strings.TrimSpace(kv)), preferForm)
				}
				return n, true, ""
			}
		}
	}
	return 0, false, ""
}

// preferError answers a malformed or undeclared Prefer code with 400.
func (s *Server) preferError(w http.ResponseWriter, opID, msg string) {
	if opID == "getToken" {
		writeJSON(w, http.StatusBadRequest, xinkserver.OAuthError{Error: "invalid_request", ErrorDescription: nullStr(msg)})
		return
	}
	writeEnvelope(w, http.StatusBadRequest, msg)
}

// operationScopes are the oauth2 scopes an operation's security requirement names.
func operationScopes(route *routers.Route) []string {
	security := route.Operation.Security
	if security == nil {
		security = &route.Spec.Security
	}
	var out []string
	for _, req := range *security {
		out = append(out, req["oauth2"]...)
	}
	return out
}

// answerPrefer answers with the operation's declared response for code, using the spec's
// example. 401 and 403 carry the challenge the real path sends; a 403 names this
// operation's scope, not the shared example's.
func (s *Server) answerPrefer(w http.ResponseWriter, rs *reqState, route *routers.Route, code int) {
	opID, op := rs.opID, route.Operation
	ref := op.Responses.Status(code)
	if ref == nil || ref.Value == nil {
		declared := make([]string, 0)
		for k := range op.Responses.Map() {
			declared = append(declared, k)
		}
		sort.Strings(declared)
		rs.unchecked = true
		s.preferError(w, opID, fmt.Sprintf("Prefer: code=%d is not a declared response of %s (declared: %s)", code, opID, strings.Join(declared, ", ")))
		return
	}
	resp := ref.Value
	example := responseExample(resp)
	if opID != "getToken" && (code == http.StatusUnauthorized || code == http.StatusForbidden) {
		ae := &authError{status: code, desc: "the access token expired"}
		if m, ok := example.(map[string]any); ok {
			if e, ok := m["Error"].(string); ok && e != "" {
				ae.desc = e
			}
		}
		if code == http.StatusForbidden {
			if scopes := operationScopes(route); len(scopes) > 0 {
				ae.scope = scopes[0]
				ae.desc = fmt.Sprintf("insufficient scope: this operation needs %q", ae.scope)
			}
		}
		w.Header().Set("WWW-Authenticate", ae.wwwAuthenticate())
		writeEnvelope(w, code, ae.desc)
		return
	}
	for name := range resp.Headers {
		switch strings.ToLower(name) {
		case "www-authenticate":
			w.Header().Set(name, `Basic realm="xink"`) // the token endpoint's 401
		case "retry-after":
			w.Header().Set(name, "1")
		}
	}
	if example == nil {
		writeJSON(w, code, xinkserver.ErrorEnvelope{Success: code < 300, Error: nullStr(fmt.Sprintf("Prefer: code=%d", code))})
		return
	}
	writeJSON(w, code, example)
}

// responseExample is the response's application/json example (the first named one, or the
// schema's), or nil.
func responseExample(resp *openapi3.Response) any {
	mt := resp.Content.Get("application/json")
	if mt == nil {
		return nil
	}
	if mt.Example != nil {
		return mt.Example
	}
	if len(mt.Examples) > 0 {
		keys := make([]string, 0, len(mt.Examples))
		for k := range mt.Examples {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		if ex := mt.Examples[keys[0]]; ex != nil && ex.Value != nil && ex.Value.Value != nil {
			return ex.Value.Value
		}
	}
	if mt.Schema != nil && mt.Schema.Value != nil {
		return mt.Schema.Value.Example
	}
	return nil
}
