package mockserver

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// Paths of the roots Discovery returns besides APIRoot (which is the base URL itself).
const (
	ImgPath      = "/img"      // ImgRoot = base URL + "/img"; images at <ImgRoot>/Images/Get/<folder>/<file>
	SyncPath     = "/sync"     // SyncRoot: not emulated (answers 501)
	TrackingPath = "/tracking" // TrackingRoot: not emulated (answers 501)
	ControlPath  = "/_mock/"   // the test-control API
	DCPath       = "/dc/"      // per-data-center APIRoots with WithDataCenterRoots: base URL + "/dc/eu"
)

// The compile-time check that the mock implements every operation of the spec.
var _ xinkserver.StrictServerInterface = (*Server)(nil)

// JournalEntry is one request the mock answered (Status 0: the connection was dropped by a
// fault). It never holds a token or a secret.
type JournalEntry struct {
	Time        time.Time     `json:"Time"`
	Method      string        `json:"Method"`
	Path        string        `json:"Path"`
	OperationID string        `json:"OperationID,omitempty"`
	Status      int           `json:"Status"`
	ClientID    string        `json:"ClientID,omitempty"`
	Duration    time.Duration `json:"Duration"`
}

// maxJournal bounds the journal; older entries are dropped first.
const maxJournal = 10000

// Server is the mock: an http.Handler serving the token endpoint, discovery, every /api/1.0
// operation, images at ImgRoot and the control API under /_mock/, all on one listener.
type Server struct {
	cfg     config
	clients map[string]*Client
	seed    *Seed

	spec   *openapi3.T
	router routers.Router
	api    http.Handler // the generated std-http strict handler

	mu sync.RWMutex // guards st
	st *store

	ctl          sync.Mutex // guards everything below
	tokens       map[string]*Token
	revoked      map[string]bool
	offset       time.Duration
	faults       []*faultEntry
	journal      []JournalEntry
	violations   []string
	issued       int
	requestCount int64
}

// New builds a mock server from options. Without options it serves the embedded seed to
// the demo client.
func New(opts ...Option) (*Server, error) {
	cfg := config{tokenTTL: DefaultTokenTTL, now: time.Now, maxUploadBytes: DefaultMaxUploadBytes}
	for i, o := range opts {
		if o == nil {
			return nil, fmt.Errorf("mockserver: option %d is nil", i)
		}
		if err := o(&cfg); err != nil {
			return nil, fmt.Errorf("mockserver: %w", err)
		}
	}
	userClients := cfg.clients
	if cfg.seed == nil {
		cfg.seed = DefaultSeed()
		if err := cfg.seed.validate(); err != nil {
			return nil, fmt.Errorf("mockserver: embedded seed: %w", err)
		}
	}
	if cfg.logger == nil {
		cfg.logger = slog.New(slog.DiscardHandler)
	}
	s := &Server{cfg: cfg, seed: cfg.seed, tokens: map[string]*Token{}, revoked: map[string]bool{}, clients: map[string]*Client{}}

	// Clients: the demo client, then the seed's, then WithClient ones (later ones win).
	all := []Client{{ID: DemoClientID, Secret: DemoClientSecret}}
	all = append(all, cfg.seed.Clients...)
	all = append(all, userClients...)
	accounts := map[string]bool{}
	for _, a := range cfg.seed.Accounts {
		accounts[a.AccountId] = true
	}
	for _, c := range all {
		if err := c.normalize(); err != nil {
			return nil, fmt.Errorf("mockserver: %w", err)
		}
		if c.AccountID == "" {
			c.AccountID = cfg.seed.Accounts[0].AccountId
		}
		if !accounts[c.AccountID] {
			return nil, fmt.Errorf("mockserver: client %q: unknown AccountID %q", c.ID, c.AccountID)
		}
		s.clients[c.ID] = &c
	}

	spec, router, err := loadSpec()
	if err != nil {
		return nil, fmt.Errorf("mockserver: %w", err)
	}
	s.spec, s.router = spec, router
	if st := cfg.state; st != nil {
		for _, c := range s.clients {
			if !slices.ContainsFunc(st.Data.Accounts, func(a SeedAccount) bool { return a.AccountId == c.AccountID }) {
				return nil, fmt.Errorf("mockserver: state: client %q belongs to account %q, which the state does not hold", c.ID, c.AccountID)
			}
		}
		s.st = newStore(&st.Data)
		for _, t := range st.Tokens {
			t := t
			t.Scopes = slices.Clone(t.Scopes)
			s.tokens[t.Value] = &t
		}
		for _, h := range st.Revoked {
			s.revoked[h] = true
		}
		s.offset = st.ClockOffset
	} else {
		s.st = newStore(cfg.seed)
	}

	strict := xinkserver.NewStrictHandlerWithOptions(s, []xinkserver.StrictMiddlewareFunc{s.checkOperation}, xinkserver.StrictHTTPServerOptions{
		RequestErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			s.requestError(w, r, err.Error())
		},
		ResponseErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			s.cfg.logger.Error("handler error", "path", r.URL.EscapedPath(), "err", err)
			writeEnvelope(w, http.StatusInternalServerError, "internal error: "+err.Error())
		},
	})
	mux := http.NewServeMux()
	s.api = xinkserver.HandlerWithOptions(strict, xinkserver.StdHTTPServerOptions{
		BaseRouter: mux,
		ErrorHandlerFunc: func(w http.ResponseWriter, r *http.Request, err error) {
			s.requestError(w, r, err.Error())
		},
	})
	mux.HandleFunc("/", dispatchMiss) // never ServeMux's text/plain 404
	return s, nil
}

// loadSpec parses the embedded spec and builds the router. Servers are removed at every level:
// the mock serves all paths on its own host (pitfalls row 13).
func loadSpec() (*openapi3.T, routers.Router, error) {
	spec, err := xinkserver.GetSpec()
	if err != nil {
		return nil, nil, fmt.Errorf("embedded spec: %w", err)
	}
	spec.Servers = nil
	for _, pi := range spec.Paths.Map() {
		pi.Servers = nil
		for _, op := range pi.Operations() {
			op.Servers = nil
		}
	}
	router, err := gorillamux.NewRouter(spec)
	if err != nil {
		return nil, nil, fmt.Errorf("router: %w", err)
	}
	mr, err := newMuxRouter(spec, router)
	if err != nil {
		return nil, nil, err
	}
	return spec, mr, nil
}

// reqState travels in the request context from the pipeline to the handlers.
type reqState struct {
	r         *http.Request
	path      string // as received, for the journal
	opID      string
	clientID  string
	accountID string
	dc        string
	pathDC    string // the data center of the APIRoot the request came in under (WithDataCenterRoots)
	dropped   bool
	unchecked bool // an answer about the mock's own controls (Prefer), not validated in strict mode
}

type ctxKey struct{}

func stateFrom(ctx context.Context) *reqState {
	rs, _ := ctx.Value(ctxKey{}).(*reqState)
	if rs == nil {
		return &reqState{r: &http.Request{Header: http.Header{}, URL: &url.URL{}}}
	}
	return rs
}

func (s *Server) now() time.Time { return s.cfg.now().Add(s.offset) }

// Now returns the mock's current time (its clock plus every Advance).
func (s *Server) Now() time.Time {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return s.now()
}

func (s *Server) baseURL(r *http.Request) string {
	if s.cfg.baseURL != "" {
		return s.cfg.baseURL
	}
	scheme := "http"
	if r.TLS != nil {
		scheme = "https"
	}
	host := r.Host
	if host == "" {
		host = "127.0.0.1"
	}
	return scheme + "://" + host
}

// recorder captures the status for the journal and the log, and can buffer the whole
// response for strict validation.
type recorder struct {
	w       http.ResponseWriter
	status  int
	buffer  bool
	header  http.Header
	body    bytes.Buffer
	written bool
}

func (rec *recorder) Header() http.Header {
	if rec.buffer {
		return rec.header
	}
	return rec.w.Header()
}

func (rec *recorder) WriteHeader(code int) {
	if rec.written {
		return
	}
	rec.written, rec.status = true, code
	if !rec.buffer {
		rec.w.WriteHeader(code)
	}
}

func (rec *recorder) Write(b []byte) (int, error) {
	if !rec.written {
		rec.WriteHeader(http.StatusOK)
	}
	if rec.buffer {
		return rec.body.Write(b)
	}
	return rec.w.Write(b)
}

func (rec *recorder) Unwrap() http.ResponseWriter { return rec.w }

// flush sends a buffered response.
func (rec *recorder) flush() {
	h := rec.w.Header()
	for k, v := range rec.header {
		h[k] = v
	}
	if rec.status == 0 {
		rec.status = http.StatusOK
	}
	rec.w.WriteHeader(rec.status)
	_, _ = rec.w.Write(rec.body.Bytes())
}

// ServeHTTP serves every route of the mock on one listener.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	rs := &reqState{r: r, path: r.URL.EscapedPath()}
	rec := &recorder{w: w}
	defer func() {
		if p := recover(); p != nil {
			if p == http.ErrAbortHandler { //nolint:errorlint // sentinel panic value
				rs.dropped = true // an injected Drop fault: no answer at all
				s.finish(rs, rec, start)
				panic(p)
			}
			s.cfg.logger.Error("panic in handler", "method", r.Method, "path", r.URL.EscapedPath(), "panic", fmt.Sprint(p))
			if !rec.written || rec.buffer {
				rec.buffer = false
				rec.written = false
				writeEnvelope(rec, http.StatusInternalServerError, "internal error: the mock panicked (see its log)")
			}
		}
		s.finish(rs, rec, start)
	}()
	if cors(rec, r) {
		return
	}
	p := r.URL.Path
	switch {
	case strings.HasPrefix(p, ControlPath):
		s.serveControl(rec, r)
	case strings.HasPrefix(p, ImgPath+"/"):
		s.serveImage(rec, r)
	case p == SyncPath || strings.HasPrefix(p, SyncPath+"/") || p == TrackingPath || strings.HasPrefix(p, TrackingPath+"/"):
		writeEnvelope(rec, http.StatusNotImplemented, "SyncRoot and TrackingRoot are not emulated by xinkmock")
	case strings.HasPrefix(p, DCPath):
		s.serveDataCenterRoot(rec, r, rs)
	default:
		if s.cfg.dcRoots && strings.HasPrefix(p, "/api/") {
			writeEnvelope(rec, http.StatusNotFound, "this host serves /OAuth/Token and /Discovery; the API lives under the APIRoot that Discovery returns")
			return
		}
		s.serveAPI(rec, r, rs)
	}
}

// APIRootFor returns the APIRoot Discovery gives the client, or "" for an unknown client.
// It needs WithBaseURL (without it the base URL comes from each request's Host).
func (s *Server) APIRootFor(clientID string) string {
	c := s.clients[clientID]
	if c == nil {
		return ""
	}
	return s.apiRoot(s.cfg.baseURL, c.DataCenter)
}

func (s *Server) apiRoot(base, dc string) string {
	if !s.cfg.dcRoots {
		return base
	}
	return base + DCPath + strings.ToLower(dc)
}

// serveDataCenterRoot strips a /dc/<dc> prefix and serves the rest as an API request that
// only that data center's tokens may make.
func (s *Server) serveDataCenterRoot(rec *recorder, r *http.Request, rs *reqState) {
	rest := strings.TrimPrefix(r.URL.Path, DCPath)
	dc, tail, _ := strings.Cut(rest, "/")
	dc = strings.ToUpper(dc)
	if !s.cfg.dcRoots || !slices.Contains(dataCenters, dc) || !strings.HasPrefix("/"+tail, "/api/") {
		writeEnvelope(rec, http.StatusNotFound, fmt.Sprintf("no route %s (data-center roots are %s)", r.URL.EscapedPath(), map[bool]string{true: "on", false: "off"}[s.cfg.dcRoots]))
		return
	}
	prefix := DCPath + strings.ToLower(dc)
	if !strings.HasPrefix(r.URL.Path, prefix+"/") {
		writeEnvelope(rec, http.StatusNotFound, fmt.Sprintf("no route %s (write the data center in lower case: %s)", r.URL.EscapedPath(), prefix))
		return
	}
	r2 := r.Clone(r.Context())
	r2.URL.Path = strings.TrimPrefix(r.URL.Path, prefix)
	if r.URL.RawPath != "" {
		r2.URL.RawPath = strings.TrimPrefix(r.URL.RawPath, prefix)
	}
	r2.RequestURI = r2.URL.RequestURI()
	rs.pathDC = dc
	s.serveAPI(rec, r2, rs)
}

func (s *Server) finish(rs *reqState, rec *recorder, start time.Time) {
	status := rec.status
	if status == 0 && !rs.dropped {
		status = http.StatusOK
	}
	d := time.Since(start)
	e := JournalEntry{Time: start.UTC(), Method: rs.r.Method, Path: rs.path, OperationID: rs.opID, Status: status, ClientID: rs.clientID, Duration: d}
	s.ctl.Lock()
	s.requestCount++
	if len(s.journal) >= maxJournal {
		s.journal = append(s.journal[:0], s.journal[len(s.journal)-maxJournal/2:]...)
	}
	s.journal = append(s.journal, e)
	s.ctl.Unlock()
	if s.cfg.logger.Enabled(context.Background(), slog.LevelInfo) { // no boxing when the line is dropped
		s.cfg.logger.LogAttrs(context.Background(), slog.LevelInfo, "request",
			slog.String("method", e.Method), slog.String("path", e.Path), slog.String("op", e.OperationID),
			slog.Int("status", status), slog.String("client", e.ClientID), slog.Float64("ms", float64(d.Microseconds())/1000))
	}
}

// serveAPI runs the spec pipeline: route, faults, auth, JSON body checks, request validation,
// Prefer, handler, and (in strict mode) response validation.
func (s *Server) serveAPI(rec *recorder, r *http.Request, rs *reqState) {
	if msg := uncleanPath(r); msg != "" { // ServeMux would answer a redirect to the cleaned path
		writeEnvelope(rec, http.StatusNotFound, msg)
		return
	}
	route, rawParams, err := s.router.FindRoute(r)
	if err != nil {
		if errors.Is(err, routers.ErrMethodNotAllowed) {
			if allow := s.allowedMethods(r); allow != "" {
				rec.Header().Set("Allow", allow)
			}
			writeEnvelope(rec, http.StatusMethodNotAllowed, fmt.Sprintf("method %s is not allowed on %s", truncate(r.Method), truncate(r.URL.EscapedPath())))
			return
		}
		writeEnvelope(rec, http.StatusNotFound, fmt.Sprintf("no operation matches %s %s", truncate(r.Method), truncate(r.URL.EscapedPath())))
		return
	}
	rs.opID = route.Operation.OperationID
	if s.applyFaults(rec, r, rs.opID) {
		return
	}
	if s.cfg.strict {
		rec.buffer, rec.header = true, http.Header{}
	}
	params := make(map[string]string, len(rawParams))
	for k, v := range rawParams { // kin's router hands out encoded values (pitfalls row 2)
		if d, err := url.PathUnescape(v); err == nil {
			v = d
		}
		params[k] = v
	}
	limit := int64(1 << 20)
	if rs.opID == "uploadImage" {
		limit = s.cfg.maxUploadBytes + 64<<10
	}
	// The server's own writer, so net/http knows to close the connection after the 413.
	r.Body = http.MaxBytesReader(rec.w, r.Body, limit)
	r = r.WithContext(context.WithValue(r.Context(), ctxKey{}, rs))
	rs.r = r
	input := &openapi3filter.RequestValidationInput{
		Request: r, PathParams: params, Route: route,
		Options: &openapi3filter.Options{AuthenticationFunc: s.authenticate, MultiError: false},
	}
	s.handleAPI(rec, r, rs, input)
	if s.cfg.strict {
		if !rs.unchecked {
			s.validateResponse(rec, r, input)
		}
		rec.flush()
	}
}

func (s *Server) handleAPI(w http.ResponseWriter, r *http.Request, rs *reqState, input *openapi3filter.RequestValidationInput) {
	ctx := r.Context()
	if rs.opID == "getToken" { // RFC 6749 5.1: token responses are never cached
		w.Header().Set("Cache-Control", "no-store")
		w.Header().Set("Pragma", "no-cache")
	}
	security := input.Route.Operation.Security
	if security == nil {
		security = &input.Route.Spec.Security
	}
	if err := openapi3filter.ValidateSecurityRequirements(ctx, input, *security); err != nil {
		s.validationFailed(w, r, rs, err)
		return
	}
	// Checks the JSON decoders would not make: charset, UTF-8, one value, unique keys.
	if msg, err := checkJSONBody(r, input.Route.Operation); err != nil {
		s.validationFailed(w, r, rs, err)
		return
	} else if msg != "" {
		writeEnvelope(w, http.StatusBadRequest, msg)
		return
	}
	input.Options.AuthenticationFunc = func(context.Context, *openapi3filter.AuthenticationInput) error { return nil } // done above
	if err := openapi3filter.ValidateRequest(ctx, input); err != nil {
		s.validationFailed(w, r, rs, err)
		return
	}
	// Prefer comes after validation, as in Prism: a bad request is a 400 whatever it prefers.
	code, prefer, problem := preferCode(r)
	if problem != "" {
		rs.unchecked = true // an error in the test's own header, not an emulated answer
		s.preferError(w, rs.opID, problem)
		return
	}
	if prefer {
		if rs.opID == "getToken" { // the client must authenticate before it sees any answer
			if err := r.ParseForm(); err != nil {
				s.requestError(w, r, "can't decode formdata: "+err.Error())
				return
			}
			if _, resp := s.tokenPreflight(r, rs); resp != nil {
				if err := resp.VisitGetTokenResponse(w); err != nil {
					s.cfg.logger.Error("writing a token response", "err", err)
				}
				return
			}
		}
		s.answerPrefer(w, rs, input.Route, code)
		return
	}
	s.api.ServeHTTP(w, r)
}

// checkOperation is a strict middleware: it proves the operation the validator matched is
// the one ServeMux dispatched to (pitfalls row 3).
func (s *Server) checkOperation(f xinkserver.StrictHandlerFunc, operationID string) xinkserver.StrictHandlerFunc {
	return func(ctx context.Context, w http.ResponseWriter, r *http.Request, request any) (any, error) {
		rs := stateFrom(ctx)
		if !strings.EqualFold(rs.opID, operationID) {
			writeEnvelope(w, http.StatusBadRequest, fmt.Sprintf("ambiguous path %s: validated as %s but routed to %s", r.URL.EscapedPath(), rs.opID, operationID))
			return nil, nil
		}
		return f(ctx, w, r, request)
	}
}

// requestError answers a request the generated binder rejected.
func (s *Server) requestError(w http.ResponseWriter, r *http.Request, msg string) {
	rs := stateFrom(r.Context())
	if rs.opID == "getToken" {
		writeJSON(w, http.StatusBadRequest, xinkserver.OAuthError{Error: "invalid_request", ErrorDescription: nullStr(msg)})
		return
	}
	writeEnvelope(w, http.StatusBadRequest, msg)
}

// validationFailed maps a kin-openapi error to 401/403 (RFC 6750), 413, or 400 with the
// envelope (or an RFC 6749 error body on the token endpoint).
func (s *Server) validationFailed(w http.ResponseWriter, r *http.Request, rs *reqState, err error) {
	var ae *authError
	if errors.As(err, &ae) || securityAuthError(err, &ae) {
		w.Header().Set("WWW-Authenticate", ae.wwwAuthenticate())
		writeEnvelope(w, ae.status, ae.desc)
		return
	}
	var mbe *http.MaxBytesError
	if errors.As(err, &mbe) {
		s.bodyTooLarge(w, rs, mbe.Limit)
		return
	}
	if bodyReadTimedOut(err) {
		slowClient(w)
		return
	}
	msg := describeValidationError(err)
	if part, ok := undefinedPart(err); ok && rs.opID == "uploadImage" {
		msg = fmt.Sprintf("request body: unknown part %q (expected a \"file\" part and optionally a \"Name\" part)", part)
	}
	if rs.opID == "getToken" {
		code := "invalid_request"
		if gt := r.PostFormValue("grant_type"); gt != "" && gt != "client_credentials" {
			code = "unsupported_grant_type"
		}
		writeJSON(w, http.StatusBadRequest, xinkserver.OAuthError{Error: code, ErrorDescription: nullStr(msg)})
		return
	}
	writeEnvelope(w, http.StatusBadRequest, msg)
}

func securityAuthError(err error, target **authError) bool {
	var se *openapi3filter.SecurityRequirementsError
	if !errors.As(err, &se) {
		return false
	}
	for _, e := range se.Errors {
		if errors.As(e, target) {
			return true
		}
	}
	return false
}

// describeValidationError turns a kin-openapi error into "where: what" text naming the field.
func describeValidationError(err error) string {
	var re *openapi3filter.RequestError
	if !errors.As(err, &re) {
		return "invalid request: " + err.Error()
	}
	where := "request"
	switch {
	case re.Parameter != nil:
		where = fmt.Sprintf("%s parameter %q", re.Parameter.In, re.Parameter.Name)
	case re.RequestBody != nil:
		where = "request body"
	}
	var se *openapi3.SchemaError
	if errors.As(re.Err, &se) {
		ptr := se.JSONPointer()
		field := ""
		if len(ptr) > 0 {
			field = strings.Join(ptr, ".")
		}
		reason := se.Reason
		if field != "" && !strings.Contains(reason, `"`+field+`"`) {
			return fmt.Sprintf("%s: field %q: %s", where, field, reason)
		}
		return fmt.Sprintf("%s: %s", where, reason)
	}
	var pe *openapi3filter.ParseError
	if errors.As(re.Err, &pe) {
		return fmt.Sprintf("%s: %s", where, pe.Error())
	}
	reason := re.Reason
	if re.Err != nil {
		if reason != "" {
			reason += ": "
		}
		reason += re.Err.Error()
	}
	return fmt.Sprintf("%s: %s", where, reason)
}

// validateResponse checks a buffered response against the spec; a mismatch becomes a 500.
func (s *Server) validateResponse(rec *recorder, r *http.Request, input *openapi3filter.RequestValidationInput) {
	status := rec.status
	if status == 0 {
		status = http.StatusOK
	}
	in := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: input,
		Status:                 status,
		Header:                 rec.header,
		Options:                &openapi3filter.Options{IncludeResponseStatus: true},
	}
	in.SetBodyBytes(rec.body.Bytes())
	var err error
	if !declaresStatus(input.Route.Operation, status) { // the contract tests' rule
		err = fmt.Errorf("status %d is not declared by %s (only 5xx may fall back to default)", status, input.Route.Operation.OperationID)
	} else {
		err = openapi3filter.ValidateResponse(r.Context(), in)
	}
	if err == nil {
		return
	}
	v := fmt.Sprintf("%s %s (%s) -> %d: %v; body: %.300s", r.Method, r.URL.EscapedPath(), input.Route.Operation.OperationID, status, err, rec.body.String())
	s.cfg.logger.Error("STRICT: response does not match the spec", "violation", v)
	s.ctl.Lock()
	s.violations = append(s.violations, v)
	s.ctl.Unlock()
	rec.header = http.Header{}
	rec.body.Reset()
	rec.status = http.StatusInternalServerError
	rec.header.Set("Content-Type", "application/json")
	_ = json.NewEncoder(&rec.body).Encode(envelope("strict mode: the mock's response did not match the spec: " + err.Error()))
}

// StrictViolations returns every response that failed strict validation so far.
func (s *Server) StrictViolations() []string {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	return append([]string(nil), s.violations...)
}

func nullStr(s string) (n nullableString) {
	n.Set(s)
	return n
}

func envelope(msg string) xinkserver.ErrorEnvelope {
	return xinkserver.ErrorEnvelope{Success: false, Error: nullStr(msg)}
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	var buf bytes.Buffer
	if err := json.NewEncoder(&buf).Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"Success":false,"Error":"internal error: encoding the response failed"}` + "\n")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.Copy(w, &buf)
}

func writeEnvelope(w http.ResponseWriter, status int, msg string) {
	writeJSON(w, status, envelope(msg))
}
