package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// Fault is an injected failure for matching operations.
type Fault struct {
	Operation  string        // operationId, e.g. "listEmployeesPage"; "" = every operation
	Status     int           // e.g. 429, 500, 503 (0 = no status override)
	RetryAfter time.Duration // sets Retry-After (seconds) when > 0
	Latency    time.Duration // added delay
	Drop       bool          // hijack and close the connection without answering
	Times      int           // how many matching requests it hits; 0 = until cleared
}

type faultEntry struct {
	Fault
	left int // remaining hits when Times > 0
}

// faultJSON is the control API's wire form of a Fault (durations in seconds, any language).
type faultJSON struct {
	Operation         string  `json:"Operation,omitempty"`
	Status            int     `json:"Status,omitempty"`
	RetryAfterSeconds float64 `json:"RetryAfterSeconds,omitempty"`
	LatencySeconds    float64 `json:"LatencySeconds,omitempty"`
	Drop              bool    `json:"Drop,omitempty"`
	Times             int     `json:"Times,omitempty"`
	Left              int     `json:"Left,omitempty"`
}

// AddFault adds a fault. Operation must be "" or an operationId of the spec; Status, if set,
// must be 400-599.
func (s *Server) AddFault(f Fault) error {
	if f.Operation != "" && s.operation(f.Operation) == nil {
		return fmt.Errorf("fault: unknown operation %q (use an operationId of the spec, e.g. listEmployeesPage)", f.Operation)
	}
	if f.Status != 0 && (f.Status < 400 || f.Status > 599) {
		return fmt.Errorf("fault: status %d is not 400-599", f.Status)
	}
	if f.RetryAfter < 0 || f.Latency < 0 || f.Times < 0 {
		return errors.New("fault: RetryAfter, Latency and Times must not be negative")
	}
	if f.Status == 0 && !f.Drop && f.Latency == 0 {
		return errors.New("fault: set Status, Latency or Drop")
	}
	if f.Operation != "" {
		f.Operation = s.operation(f.Operation).OperationID
	}
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.faults = append(s.faults, &faultEntry{Fault: f, left: f.Times})
	return nil
}

// ClearFaults removes every fault.
func (s *Server) ClearFaults() {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.faults = nil
}

// Faults lists the active faults.
func (s *Server) Faults() []Fault {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	out := make([]Fault, 0, len(s.faults))
	for _, f := range s.faults {
		c := f.Fault
		if c.Times > 0 {
			c.Times = f.left
		}
		out = append(out, c)
	}
	return out
}

func (s *Server) operation(id string) *openapi3.Operation {
	for _, pi := range s.spec.Paths.Map() {
		for _, op := range pi.Operations() {
			if strings.EqualFold(op.OperationID, id) {
				return op
			}
		}
	}
	return nil
}

// applyFaults delays, drops or answers a request as the matching faults say; it reports
// whether the request was answered (or dropped).
func (s *Server) applyFaults(w http.ResponseWriter, r *http.Request, opID string) bool {
	var latency, retry time.Duration
	status, drop := 0, false
	s.ctl.Lock()
	for _, f := range s.faults {
		if f.Operation != "" && f.Operation != opID {
			continue
		}
		if f.Times > 0 {
			if f.left <= 0 {
				continue
			}
			f.left--
		}
		latency += f.Latency
		if status == 0 && !drop {
			status, drop, retry = f.Status, f.Drop, f.RetryAfter
		}
	}
	s.faults = slices.DeleteFunc(s.faults, func(f *faultEntry) bool { return f.Times > 0 && f.left <= 0 })
	s.ctl.Unlock()
	if latency > 0 {
		t := time.NewTimer(latency)
		select {
		case <-t.C:
		case <-r.Context().Done():
			t.Stop()
		}
	}
	if drop {
		panic(http.ErrAbortHandler) // net/http closes the connection without a response
	}
	if status == 0 {
		return false
	}
	if status == http.StatusTooManyRequests && retry <= 0 {
		retry = time.Second
	}
	if retry > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(int(math.Ceil(retry.Seconds()))))
	}
	msg := fmt.Sprintf("injected fault: %d %s", status, http.StatusText(status))
	switch {
	case status == http.StatusTooManyRequests:
		msg = "too many requests (injected fault)"
	case opID == "getToken" && (status == http.StatusBadRequest || status == http.StatusUnauthorized):
		// The token endpoint's 400 and 401 are RFC 6749 bodies.
		code := "invalid_request"
		if status == http.StatusUnauthorized {
			code = "invalid_client"
			w.Header().Set("WWW-Authenticate", `Basic realm="xink"`)
		}
		writeJSON(w, status, xinkserver.OAuthError{Error: code, ErrorDescription: nullStr(msg)})
		return true
	case status == http.StatusUnauthorized:
		w.Header().Set("WWW-Authenticate", `Bearer realm="xink", error="invalid_token", error_description="injected fault"`)
	}
	writeEnvelope(w, status, msg)
	return true
}

// preferCode reads a Prism-style "Prefer: code=NNN" header.
func preferCode(r *http.Request) (int, bool) {
	for _, h := range r.Header.Values("Prefer") {
		for _, p := range strings.Split(h, ",") {
			for _, kv := range strings.Split(p, ";") {
				k, v, ok := strings.Cut(strings.TrimSpace(kv), "=")
				if ok && strings.EqualFold(k, "code") {
					if n, err := strconv.Atoi(strings.Trim(v, `"`)); err == nil {
						return n, true
					}
				}
			}
		}
	}
	return 0, false
}

// answerPrefer answers with the operation's declared response for code, using the spec's example.
func (s *Server) answerPrefer(w http.ResponseWriter, opID string, op *openapi3.Operation, code int) {
	ref := op.Responses.Status(code)
	if ref == nil || ref.Value == nil {
		declared := make([]string, 0)
		for k := range op.Responses.Map() {
			declared = append(declared, k)
		}
		sort.Strings(declared)
		msg := fmt.Sprintf("Prefer: code=%d is not a declared response of %s (declared: %s)", code, opID, strings.Join(declared, ", "))
		if opID == "getToken" {
			writeJSON(w, http.StatusBadRequest, xinkserver.OAuthError{Error: "invalid_request", ErrorDescription: nullStr(msg)})
			return
		}
		writeEnvelope(w, http.StatusBadRequest, msg)
		return
	}
	resp := ref.Value
	for name := range resp.Headers {
		switch strings.ToLower(name) {
		case "www-authenticate":
			if code == http.StatusForbidden {
				w.Header().Set(name, `Bearer realm="xink", error="insufficient_scope", error_description="Prefer: code=403"`)
			} else if opID == "getToken" {
				w.Header().Set(name, `Basic realm="xink"`)
			} else {
				w.Header().Set(name, `Bearer realm="xink", error="invalid_token", error_description="Prefer: code=401"`)
			}
		case "retry-after":
			w.Header().Set(name, "1")
		}
	}
	mt := resp.Content.Get("application/json")
	var example any
	if mt != nil {
		example = mt.Example
		if example == nil && len(mt.Examples) > 0 {
			keys := make([]string, 0, len(mt.Examples))
			for k := range mt.Examples {
				keys = append(keys, k)
			}
			sort.Strings(keys)
			if ex := mt.Examples[keys[0]]; ex != nil && ex.Value != nil {
				example = ex.Value.Value
			}
		}
		if example == nil && mt.Schema != nil && mt.Schema.Value != nil {
			example = mt.Schema.Value.Example
		}
	}
	if example == nil {
		writeJSON(w, code, xinkserver.ErrorEnvelope{Success: code < 300, Error: nullStr(fmt.Sprintf("Prefer: code=%d", code))})
		return
	}
	writeJSON(w, code, example)
}

// RevokeToken revokes one token; later requests with it get 401. It reports whether the
// token was live.
func (s *Server) RevokeToken(tok string) bool {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	if _, ok := s.tokens[tok]; !ok {
		return false
	}
	delete(s.tokens, tok)
	s.revoked[tokenHash(tok)] = true
	return true
}

// RevokeAllTokens revokes every live token and returns how many there were.
func (s *Server) RevokeAllTokens() int {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	n := len(s.tokens)
	for v := range s.tokens {
		s.revoked[tokenHash(v)] = true
	}
	s.tokens = map[string]*Token{}
	return n
}

// Advance moves the mock's clock by d (token expiry, Modified dates).
func (s *Server) Advance(d time.Duration) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.offset += d
}

// Reset puts the data back to the seed and clears the faults. Tokens, the clock and the
// journal are kept, so clients need not fetch a new token.
func (s *Server) Reset() {
	st := newStore(s.seed)
	s.mu.Lock()
	s.st = st
	s.mu.Unlock()
	s.ClearFaults()
}

// Journal returns every request answered so far (the newest 10000 at most), oldest first.
func (s *Server) Journal() []JournalEntry {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return slices.Clone(s.journal)
}

// ClearJournal empties the journal.
func (s *Server) ClearJournal() {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.journal = nil
}

// TokensIssued returns how many tokens the token endpoint has issued.
func (s *Server) TokensIssued() int {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return s.issued
}

func decodeControl(r *http.Request, v any) error {
	if r.Body == nil {
		return errors.New("request body is missing")
	}
	dec := json.NewDecoder(io.LimitReader(r.Body, 1<<20))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	return nil
}

// serveControl is the test-control API under /_mock/ (JSON, not spec-validated, no token).
//
//	GET    /_mock/health            liveness, counts
//	POST   /_mock/reset             data back to the seed, faults cleared
//	GET    /_mock/state             current data (seed format), token count, clock
//	GET    /_mock/journal           requests answered so far; DELETE clears it
//	POST   /_mock/tokens/revoke     {"Token":"..."} revokes one; {"All":true} revokes all
//	POST   /_mock/clock/advance     {"Seconds":7200}
//	GET    /_mock/faults            active faults; POST adds {"Operation","Status","RetryAfterSeconds","LatencySeconds","Drop","Times"}; DELETE clears
func (s *Server) serveControl(w http.ResponseWriter, r *http.Request) {
	route := r.Method + " " + strings.TrimSuffix(strings.TrimPrefix(r.URL.Path, ControlPath), "/")
	switch route {
	case "GET health":
		now := s.Now().UTC()
		s.ctl.Lock()
		out := map[string]any{"Success": true, "Tokens": len(s.tokens), "TokensIssued": s.issued, "Requests": s.requestCount, "Faults": len(s.faults), "StrictViolations": len(s.violations), "Now": now}
		s.ctl.Unlock()
		writeJSON(w, 200, out)
	case "POST reset":
		s.Reset()
		writeJSON(w, 200, map[string]any{"Success": true})
	case "GET state":
		st := s.State()
		for i := range st.Tokens { // the dump is for reading: tokens appear as their hashes
			st.Tokens[i].Value = "sha256:" + tokenHash(st.Tokens[i].Value)
		}
		writeJSON(w, 200, st)
	case "GET journal":
		writeJSON(w, 200, map[string]any{"Success": true, "Entries": s.Journal()})
	case "DELETE journal":
		s.ClearJournal()
		writeJSON(w, 200, map[string]any{"Success": true})
	case "POST tokens/revoke":
		var in struct {
			Token string `json:"Token"`
			All   bool   `json:"All"`
		}
		if err := decodeControl(r, &in); err != nil {
			writeEnvelope(w, 400, err.Error())
			return
		}
		if in.All {
			writeJSON(w, 200, map[string]any{"Success": true, "Revoked": s.RevokeAllTokens()})
			return
		}
		if in.Token == "" {
			writeEnvelope(w, 400, `request body: give "Token" or "All": true`)
			return
		}
		if !s.RevokeToken(in.Token) {
			writeEnvelope(w, 404, "no live token matches")
			return
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Revoked": 1})
	case "POST clock/advance":
		var in struct {
			Seconds float64 `json:"Seconds"`
		}
		if err := decodeControl(r, &in); err != nil {
			writeEnvelope(w, 400, err.Error())
			return
		}
		s.Advance(time.Duration(in.Seconds * float64(time.Second)))
		writeJSON(w, 200, map[string]any{"Success": true, "Now": s.Now().UTC()})
	case "GET faults":
		fs := s.Faults()
		out := make([]faultJSON, 0, len(fs))
		for _, f := range fs {
			out = append(out, faultJSON{Operation: f.Operation, Status: f.Status, RetryAfterSeconds: f.RetryAfter.Seconds(), LatencySeconds: f.Latency.Seconds(), Drop: f.Drop, Times: f.Times})
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Faults": out})
	case "POST faults":
		var in faultJSON
		if err := decodeControl(r, &in); err != nil {
			writeEnvelope(w, 400, err.Error())
			return
		}
		f := Fault{Operation: in.Operation, Status: in.Status, Drop: in.Drop, Times: in.Times,
			RetryAfter: time.Duration(in.RetryAfterSeconds * float64(time.Second)), Latency: time.Duration(in.LatencySeconds * float64(time.Second))}
		if err := s.AddFault(f); err != nil {
			writeEnvelope(w, 400, err.Error())
			return
		}
		writeJSON(w, 200, map[string]any{"Success": true})
	case "DELETE faults":
		s.ClearFaults()
		writeJSON(w, 200, map[string]any{"Success": true})
	default:
		writeEnvelope(w, 404, fmt.Sprintf("no control route %s %s (see GET /_mock/health, POST /_mock/reset, GET /_mock/state, GET|DELETE /_mock/journal, POST /_mock/tokens/revoke, POST /_mock/clock/advance, GET|POST|DELETE /_mock/faults)", r.Method, r.URL.Path))
	}
}
