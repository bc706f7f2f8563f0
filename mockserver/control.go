package mockserver

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"math"
	"net/http"
	"slices"
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
	if f.RetryAfter > maxFaultDelay || f.Latency > maxFaultDelay {
		return fmt.Errorf("fault: RetryAfter and Latency are too large: at most %v (%d seconds)", maxFaultDelay, int64(maxFaultDelay/time.Second))
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

// MaxClockOffset bounds how far Advance may move the mock's clock ahead of the real one in
// total: 100 years of 365 days.
const MaxClockOffset = 100 * 365 * 24 * time.Hour

// maxFaultDelay bounds a fault's Latency and RetryAfter.
const maxFaultDelay = 24 * time.Hour

// maxControlBody caps a control API request body.
const maxControlBody = 64 << 10

// Advance moves the mock's clock forward by d (token expiry, Modified dates). The clock never
// moves back (that would revive expired tokens): a negative d is an error, and so is a d that
// would put the clock more than MaxClockOffset ahead of the real one in total.
func (s *Server) Advance(d time.Duration) error {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	if d < 0 {
		return fmt.Errorf("clock: cannot move back (%v): the clock only moves forward, from 0 to %v in total", d, MaxClockOffset)
	}
	if d > MaxClockOffset-s.offset {
		return fmt.Errorf("clock: advancing by %v would put the clock more than %v (%d seconds) ahead in total; it is %v ahead now", d, MaxClockOffset, int64(MaxClockOffset/time.Second), s.offset)
	}
	s.offset += d
	return nil
}

// ResetClock puts the mock's clock back to its underlying clock (no offset), for a test that
// undoes its Advance calls. Unlike a step back through the control API (refused), this is
// explicit: tokens that had expired on the advanced clock are live again until their expiry.
func (s *Server) ResetClock() {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.offset = 0
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

// decodeControl reads a control API body: one JSON object of at most maxControlBody bytes,
// no unknown fields, nothing after it.
func decodeControl(r *http.Request, v any) error {
	if r.Body == nil {
		return errors.New("request body is missing")
	}
	b, err := io.ReadAll(io.LimitReader(r.Body, maxControlBody+1))
	if err != nil {
		return fmt.Errorf("request body: %w", err)
	}
	if len(b) > maxControlBody {
		return fmt.Errorf("request body: larger than %d bytes (the control API's limit)", maxControlBody)
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return errors.New("request body: empty; send a JSON object")
		}
		return fmt.Errorf("request body: %w", err)
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		return errors.New("request body: data after the JSON object")
	}
	return nil
}

// secondsParam converts a control API number of seconds to a duration, or explains why it
// is out of range (0 to max).
func secondsParam(field string, n json.Number, max time.Duration) (time.Duration, error) {
	maxS := int64(max / time.Second)
	outOfRange := fmt.Errorf("%s %s: must be a number of seconds from 0 to %d (%v)", field, n, maxS, max)
	f, err := strconv.ParseFloat(string(n), 64)
	switch {
	case err != nil || math.IsNaN(f) || math.IsInf(f, 0):
		return 0, outOfRange
	case f < 0:
		return 0, fmt.Errorf("%s %s: must not be negative (from 0 to %d seconds)", field, n, maxS)
	case f > float64(maxS):
		return 0, fmt.Errorf("%s %s: too large: at most %d seconds (%v)", field, n, maxS, max)
	}
	return time.Duration(f * float64(time.Second)), nil
}

// serveControl is the test-control API under /_mock/ (JSON, not spec-validated, no token).
//
//	GET    /_mock/health            liveness, counts
//	POST   /_mock/reset             data back to the seed, faults cleared
//	GET    /_mock/state             current data (seed format), token count, clock
//	GET    /_mock/journal           requests answered so far; DELETE clears it
//	POST   /_mock/tokens/revoke     {"Token":"..."} revokes one; {"All":true} revokes all (not both)
//	POST   /_mock/clock/advance     {"Seconds":7200}: forward only, at most MaxClockOffset in total
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
		if in.All && in.Token != "" {
			writeEnvelope(w, 400, `request body: give either "Token" or "All": true, not both`)
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
			Seconds json.Number `json:"Seconds"`
		}
		if err := decodeControl(r, &in); err != nil {
			writeEnvelope(w, 400, err.Error())
			return
		}
		if in.Seconds == "" {
			writeEnvelope(w, 400, fmt.Sprintf(`request body: "Seconds" is missing (a number from 0 to %d)`, int64(MaxClockOffset/time.Second)))
			return
		}
		d, err := secondsParam("Seconds", in.Seconds, MaxClockOffset)
		if err == nil {
			err = s.Advance(d)
		}
		if err != nil {
			writeEnvelope(w, 400, err.Error())
			return
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Now": s.Now().UTC()})
	case "GET faults":
		fs := s.Faults()
		out := make([]faultJSON, 0, len(fs))
		for _, f := range fs {
			out = append(out, faultJSON{Operation: f.Operation, Status: f.Status, RetryAfterSeconds: f.RetryAfter.Seconds(), LatencySeconds: f.Latency.Seconds(), Drop: f.Drop, Times: f.Times})
		}
		writeJSON(w, 200, map[string]any{"Success": true, "Faults": out})
	case "POST faults":
		var in struct {
			faultJSON
			RetryAfterSeconds json.Number `json:"RetryAfterSeconds"`
			LatencySeconds    json.Number `json:"LatencySeconds"`
		}
		if err := decodeControl(r, &in); err != nil {
			writeEnvelope(w, 400, err.Error())
			return
		}
		f := Fault{Operation: in.Operation, Status: in.Status, Drop: in.Drop, Times: in.Times}
		var err error
		if in.RetryAfterSeconds != "" {
			f.RetryAfter, err = secondsParam("RetryAfterSeconds", in.RetryAfterSeconds, maxFaultDelay)
		}
		if err == nil && in.LatencySeconds != "" {
			f.Latency, err = secondsParam("LatencySeconds", in.LatencySeconds, maxFaultDelay)
		}
		if err == nil {
			err = s.AddFault(f)
		}
		if err != nil {
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
