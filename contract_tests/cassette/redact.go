package cassette

import (
	"bytes"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/textproto"
	"net/url"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"
)

// Redacted stands in for a removed secret value.
const Redacted = "[REDACTED]"

// RedactedClientID replaces a client id in a recorded token request.
const RedactedClientID = "redacted-client-id"

// tokenPlaceholderPrefix starts every placeholder that replaces an issued
// token; the n-th token issued in a cassette becomes "redacted-token-<n>".
const tokenPlaceholderPrefix = "redacted-token-"

// Canonical base URLs that replace the recorded hosts, by role. The .invalid
// top-level domain never resolves (RFC 6761), so a replayed URL cannot reach
// a real host by accident.
var canonicalOrigin = map[string]string{
	ServerAuth:  "https://auth.xink.invalid",
	ServerAPI:   "https://api.xink.invalid",
	ServerImg:   "https://img.xink.invalid",
	"sync":      "https://sync.xink.invalid",
	"tracking":  "https://tracking.xink.invalid",
	ServerOther: "https://other.xink.invalid",
}

var (
	// Request and response headers that are recorded; every other header
	// (Authorization, Cookie, Set-Cookie, ...) is dropped.
	requestHeaderAllow  = []string{"Accept", "Content-Type"}
	responseHeaderAllow = []string{"Content-Type", "Location", "Retry-After", "WWW-Authenticate"}

	// JSON keys and form fields whose values are secrets: removed or replaced.
	secretKeys = map[string]bool{"client_secret": true, "password": true, "secret": true, "ClientSecret": true, "Password": true}
	tokenKeys  = map[string]bool{"access_token": true, "refresh_token": true, "id_token": true, "AccessToken": true}
	// Query parameters that are dropped.
	secretQuery = map[string]bool{"access_token": true, "client_secret": true, "token": true, "api_key": true, "code": true}

	// Keys (JSON properties, or FieldValue names) holding personal data.
	firstNameKeys = map[string]bool{"FirstName": true, "GivenName": true}
	lastNameKeys  = map[string]bool{"LastName": true, "Surname": true, "FamilyName": true}
	fullNameKeys  = map[string]bool{"DisplayName": true, "FullName": true}
	phoneKeys     = map[string]bool{"Phone": true, "DirectPhone": true, "Mobile": true, "MobilePhone": true, "Fax": true, "PhoneNumber": true}

	emailRe     = regexp.MustCompile(`[\p{L}\p{N}._%+'-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}`)
	fakeLocalRe = regexp.MustCompile(`^person-[0-9a-f]{10}$`)
	phoneRe     = regexp.MustCompile(`\+\d[\d ().-]{5,}\d`)

	fakeFirst = []string{"Alex", "Billie", "Casey", "Dana", "Eli", "Frankie", "Gale", "Harper", "Indy", "Jules",
		"Kim", "Lane", "Morgan", "Noor", "Oakley", "Parker", "Quinn", "Reese", "Sam", "Tatum", "Uma", "Vic", "Wren", "Yael"}
	fakeLast = []string{"Ashdown", "Birchley", "Copperfield", "Dunmore", "Elmstead", "Fairweather", "Greystone",
		"Hollis", "Ivybridge", "Juniper", "Kingsley", "Larkspur", "Marlow", "Northcott", "Oakhurst", "Pemberton",
		"Quill", "Redfern", "Stonebridge", "Thistlewood", "Underhill", "Vale", "Whitlock", "Yarrow"}
)

// Redactor rewrites raw traffic into a cassette that holds no secret and no
// personal data:
//
//   - Authorization, Cookie, Set-Cookie and every header not allow-listed are
//     dropped; the credential kind survives only as Request.Auth;
//   - client_secret, password and access_token values (form, JSON, query) are
//     removed; client_id becomes RedactedClientID; issued tokens become
//     "redacted-token-<n>" wherever they appear;
//   - names (FirstName, LastName, DisplayName, ...), phone numbers (Phone,
//     Mobile, Fax, ..., and any "+<digits>" run) and the local part of every
//     email address are replaced by stable fake values, also inside free text
//     such as rendered signature HTML;
//   - hosts are replaced by canonical *.xink.invalid base URLs by role.
//
// The same input gives the same fake for one key (HMAC-SHA256), so a
// recording set stays internally consistent. Fake values are recognised and
// left alone, so redacting twice changes nothing, and values given with
// WithKeep (the scenarios' own synthetic inputs) are never rewritten.
type Redactor struct {
	key     []byte
	keep    map[string]bool
	secrets []string
}

// RedactorOption configures a Redactor.
type RedactorOption func(*Redactor) error

// WithKey sets the HMAC key that derives fake values (at least 16 bytes).
// Without it a random key is used, so fakes differ between recording runs.
func WithKey(key []byte) RedactorOption {
	return func(r *Redactor) error {
		if len(key) < 16 {
			return fmt.Errorf("cassette: redaction key is %d bytes, want at least 16", len(key))
		}
		r.key = bytes.Clone(key)
		return nil
	}
}

// WithKeep lists values that are synthetic test data (the scenarios' own
// inputs, e.g. an employee the scenario creates) and must not be rewritten.
// Empty strings are rejected.
func WithKeep(values ...string) RedactorOption {
	return func(r *Redactor) error {
		for _, v := range values {
			if strings.TrimSpace(v) == "" {
				return errors.New("cassette: WithKeep: empty value")
			}
			r.keep[v] = true
		}
		return nil
	}
}

// WithSecrets names values that must not survive anywhere in a recording
// (the client id and secret, say): wherever they appear, as is, URL-escaped
// or inside HTTP Basic credentials, they become Redacted. Values shorter than
// 4 bytes are rejected (they would match by accident).
func WithSecrets(values ...string) RedactorOption {
	return func(r *Redactor) error {
		for _, v := range values {
			if len(v) < 4 {
				return fmt.Errorf("cassette: WithSecrets: %d-byte value is too short to scrub safely", len(v))
			}
			r.secrets = append(r.secrets, v)
			if e := url.QueryEscape(v); e != v {
				r.secrets = append(r.secrets, e)
			}
			if e := url.PathEscape(v); e != v {
				r.secrets = append(r.secrets, e)
			}
		}
		sort.Slice(r.secrets, func(i, j int) bool { return len(r.secrets[i]) > len(r.secrets[j]) })
		return nil
	}
}

// NewRedactor returns a Redactor.
func NewRedactor(opts ...RedactorOption) (*Redactor, error) {
	r := &Redactor{keep: map[string]bool{}}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("cassette: nil RedactorOption")
		}
		if err := o(r); err != nil {
			return nil, err
		}
	}
	if r.key == nil {
		r.key = make([]byte, 32)
		if _, err := rand.Read(r.key); err != nil {
			return nil, fmt.Errorf("cassette: redaction key: %w", err)
		}
	}
	return r, nil
}

// RawInteraction is unredacted traffic as the Recorder captured it. It must
// never be written anywhere; Redact turns it into an Interaction.
type RawInteraction struct {
	// OperationID is the spec operation the request matched, if known.
	OperationID string
	// Origin is the scheme://host[:port] the request was sent to.
	Origin string
	// Request holds every header (Authorization included) and the raw body.
	Request Request
	// Response holds every header and the raw body.
	Response Response
}

func (r *Redactor) hash(kind, v string) []byte {
	m := hmac.New(sha256.New, r.key)
	m.Write([]byte(kind))
	m.Write([]byte{0})
	m.Write([]byte(v))
	return m.Sum(nil)
}

func (r *Redactor) pick(kind, v string, list []string) string {
	h := r.hash(kind, v)
	return list[binary.BigEndian.Uint32(h)%uint32(len(list))]
}

// FakeEmail returns the stable fake for an email address: its local part is
// replaced, the domain kept. Kept and already-fake addresses come back as is.
func (r *Redactor) FakeEmail(email string) string {
	at := strings.LastIndexByte(email, '@')
	if at <= 0 || r.keep[email] || fakeLocalRe.MatchString(email[:at]) {
		return email
	}
	return "person-" + hex.EncodeToString(r.hash("email", strings.ToLower(email[:at])))[:10] + email[at:]
}

// FakeName returns the stable fake for a personal name; key says which part
// of a name it is (FirstName, LastName or anything else for a full name).
func (r *Redactor) FakeName(key, name string) string {
	if name == "" || r.keep[name] || isFakeName(name) {
		return name
	}
	switch {
	case firstNameKeys[key]:
		return r.pick("first", name, fakeFirst)
	case lastNameKeys[key]:
		return r.pick("last", name, fakeLast)
	default:
		return r.pick("full-first", name, fakeFirst) + " " + r.pick("full-last", name, fakeLast)
	}
}

// FakePhone returns the stable fake for a phone number: "+999 " and eight
// digits (+999 is not an assigned country code).
func (r *Redactor) FakePhone(phone string) string {
	if phone == "" || r.keep[phone] || strings.HasPrefix(phone, "+999 ") {
		return phone
	}
	h := r.hash("phone", digitsOf(phone))
	return fmt.Sprintf("+999 %04d %04d", binary.BigEndian.Uint16(h)%10000, binary.BigEndian.Uint16(h[2:])%10000)
}

func digitsOf(s string) string {
	var b strings.Builder
	for _, c := range s {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	return b.String()
}

func isFakeName(s string) bool {
	in := func(list []string, v string) bool {
		for _, x := range list {
			if x == v {
				return true
			}
		}
		return false
	}
	if in(fakeFirst, s) || in(fakeLast, s) {
		return true
	}
	f, l, ok := strings.Cut(s, " ")
	return ok && in(fakeFirst, f) && in(fakeLast, l)
}

// redaction is the state of redacting one cassette.
type redaction struct {
	r       *Redactor
	origins map[string]string // recorded origin -> canonical origin
	tokens  map[string]string // issued token -> placeholder
	known   map[string]string // personal value seen in a structured field -> fake
	order   []string          // keys of known, longest first
}

// Redact turns raw traffic into a redacted cassette. Nothing of raw is
// modified.
func (r *Redactor) Redact(name, provenance, description string, raw []RawInteraction) (*Cassette, error) {
	st := &redaction{r: r, origins: map[string]string{}, tokens: map[string]string{}, known: map[string]string{}}
	st.learn(raw)
	c := &Cassette{Version: FormatVersion, Name: name, Provenance: provenance, Description: description}
	for i, in := range raw {
		req, err := st.request(in.Request)
		if err != nil {
			return nil, fmt.Errorf("cassette: redact interaction %d request: %w", i, err)
		}
		resp, err := st.response(in.Response)
		if err != nil {
			return nil, fmt.Errorf("cassette: redact interaction %d response: %w", i, err)
		}
		c.Interactions = append(c.Interactions, Interaction{OperationID: in.OperationID, Request: req, Response: resp})
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// learn collects hosts, issued tokens and personal values from every
// interaction before anything is rewritten, so a name first seen in a later
// response is still replaced inside an earlier free-text body.
func (st *redaction) learn(raw []RawInteraction) {
	addOrigin := func(u, role string) {
		pu, err := url.Parse(u)
		if err != nil || pu.Host == "" {
			return
		}
		o := pu.Scheme + "://" + pu.Host
		if _, ok := st.origins[o]; !ok {
			st.origins[o] = canonicalOrigin[role]
		}
	}
	// Discovery answers first: they name the API, image, sync and tracking roots.
	for _, in := range raw {
		if !strings.EqualFold(in.Request.Path, "/Discovery") {
			continue
		}
		var d map[string]any
		if data, err := in.Response.Bytes(); err == nil && json.Unmarshal(data, &d) == nil {
			for _, f := range []struct{ key, role string }{{"APIRoot", ServerAPI}, {"ImgRoot", ServerImg}, {"SyncRoot", "sync"}, {"TrackingRoot", "tracking"}} {
				if s, ok := d[f.key].(string); ok {
					addOrigin(s, f.role)
				}
			}
		}
	}
	for _, in := range raw {
		addOrigin(in.Origin, in.Request.Server)
	}
	for _, in := range raw {
		for _, b := range []Body{in.Request.Body, in.Response.Body} {
			data, err := b.Bytes()
			if err != nil || len(data) == 0 {
				continue
			}
			var v any
			if json.Unmarshal(data, &v) == nil {
				st.collect(v)
			}
		}
	}
	for k := range st.known {
		st.order = append(st.order, k)
	}
	sort.Slice(st.order, func(i, j int) bool {
		if len(st.order[i]) != len(st.order[j]) {
			return len(st.order[i]) > len(st.order[j])
		}
		return st.order[i] < st.order[j]
	})
}

func (st *redaction) collect(v any) {
	switch x := v.(type) {
	case map[string]any:
		if n, ok := x["Name"].(string); ok {
			if val, ok := x["Value"].(string); ok {
				st.note(n, val)
			}
		}
		for k, val := range x {
			if s, ok := val.(string); ok {
				if tokenKeys[k] && s != "" && !strings.HasPrefix(s, tokenPlaceholderPrefix) {
					if _, seen := st.tokens[s]; !seen {
						st.tokens[s] = fmt.Sprintf("%s%d", tokenPlaceholderPrefix, len(st.tokens)+1)
					}
				}
				st.note(k, s)
				continue
			}
			st.collect(val)
		}
	case []any:
		for _, e := range x {
			st.collect(e)
		}
	}
}

// note records a personal value found under key, if key names one.
func (st *redaction) note(key, s string) {
	if s == "" || utf8.RuneCountInString(s) < 2 {
		return
	}
	var fake string
	switch {
	case firstNameKeys[key] || lastNameKeys[key] || fullNameKeys[key]:
		fake = st.r.FakeName(key, s)
	case phoneKeys[key]:
		fake = st.r.FakePhone(s)
	default:
		return
	}
	if fake != s {
		st.known[s] = fake
	}
}

// text redacts free text: hosts, issued tokens, emails, known personal
// values and phone-number-like runs.
func (st *redaction) text(s string) string {
	for _, sec := range st.r.secrets {
		s = strings.ReplaceAll(s, sec, Redacted)
	}
	if s == "" || st.r.keep[s] {
		return s
	}
	for o, c := range st.origins {
		s = strings.ReplaceAll(s, o, c)
	}
	for t, p := range st.tokens {
		s = strings.ReplaceAll(s, t, p)
	}
	s = emailRe.ReplaceAllStringFunc(s, st.r.FakeEmail)
	for _, k := range st.order {
		s = replaceWord(s, k, st.known[k])
	}
	s = phoneRe.ReplaceAllStringFunc(s, st.r.FakePhone)
	return s
}

// replaceWord replaces old by new where old is not part of a longer word.
func replaceWord(s, old, new string) string {
	if old == "" || !strings.Contains(s, old) {
		return s
	}
	var b strings.Builder
	for {
		i := strings.Index(s, old)
		if i < 0 {
			b.WriteString(s)
			return b.String()
		}
		before, _ := utf8.DecodeLastRuneInString(s[:i])
		after, _ := utf8.DecodeRuneInString(s[i+len(old):])
		wordy := func(r rune) bool { return r != utf8.RuneError && (unicode.IsLetter(r) || unicode.IsDigit(r)) }
		b.WriteString(s[:i])
		if (i > 0 && wordy(before)) || wordy(after) {
			b.WriteString(old)
		} else {
			b.WriteString(new)
		}
		s = s[i+len(old):]
	}
}

// value redacts a decoded JSON value.
func (st *redaction) value(v any, key string) any {
	switch x := v.(type) {
	case map[string]any:
		out := make(map[string]any, len(x))
		fieldName, _ := x["Name"].(string)
		for k, val := range x {
			if k == "Value" && fieldName != "" {
				out[k] = st.value(val, fieldName)
				continue
			}
			out[k] = st.value(val, k)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = st.value(e, key)
		}
		return out
	case string:
		switch {
		case secretKeys[key]:
			return Redacted
		case tokenKeys[key]:
			if p, ok := st.tokens[x]; ok {
				return p
			}
			return x
		case firstNameKeys[key] || lastNameKeys[key] || fullNameKeys[key]:
			return st.text(st.r.FakeName(key, x))
		case phoneKeys[key]:
			return st.r.FakePhone(x)
		}
		return st.text(x)
	default:
		return v
	}
}

func (st *redaction) headers(h map[string][]string, allow []string) map[string][]string {
	var out map[string][]string
	for _, name := range allow {
		for k, vs := range h {
			if !strings.EqualFold(k, name) {
				continue
			}
			if out == nil {
				out = map[string][]string{}
			}
			for _, v := range vs {
				out[name] = append(out[name], st.text(v))
			}
		}
	}
	return out
}

func headerGet(h map[string][]string, name string) string {
	for k, vs := range h {
		if strings.EqualFold(k, name) && len(vs) > 0 {
			return vs[0]
		}
	}
	return ""
}

// AuthOf describes an Authorization header value without revealing it, given
// the issued tokens (token value -> placeholder).
func AuthOf(authorization string, issued map[string]string) string {
	scheme, cred, _ := strings.Cut(strings.TrimSpace(authorization), " ")
	switch {
	case authorization == "":
		return ""
	case strings.EqualFold(scheme, "Basic"):
		return "basic"
	case strings.EqualFold(scheme, "Bearer"):
		cred = strings.TrimSpace(cred)
		if p, ok := issued[cred]; ok {
			return "bearer " + p
		}
		return "bearer unissued"
	default:
		return "other"
	}
}

func (st *redaction) request(in Request) (Request, error) {
	out := Request{Method: in.Method, Server: in.Server}
	if out.Server == "" {
		out.Server = ServerOther
	}
	out.Path = st.path(in.Path)
	out.Query = st.query(in.Query)
	auth := in.Auth
	if h := headerGet(in.Headers, "Authorization"); h != "" {
		auth = AuthOf(h, st.tokens)
	}
	out.Auth = auth
	out.Headers = st.headers(in.Headers, requestHeaderAllow)
	body, err := st.body(headerGet(in.Headers, "Content-Type"), in.Body)
	if err != nil {
		return out, err
	}
	out.Body = body
	if ct := headerGet(out.Headers, "Content-Type"); ct != "" {
		if mt, params, err := mime.ParseMediaType(ct); err == nil && strings.HasPrefix(mt, "multipart/") && params["boundary"] != "" {
			params["boundary"] = RecordedBoundary
			out.Headers["Content-Type"] = []string{mime.FormatMediaType(mt, params)}
		}
	}
	return out, nil
}

func (st *redaction) response(in Response) (Response, error) {
	out := Response{Status: in.Status, Headers: st.headers(in.Headers, responseHeaderAllow)}
	body, err := st.body(headerGet(in.Headers, "Content-Type"), in.Body)
	if err != nil {
		return out, err
	}
	out.Body = body
	return out, nil
}

func (st *redaction) path(p string) string {
	segs := strings.Split(p, "/")
	for i, seg := range segs {
		dec, err := url.PathUnescape(seg)
		if err != nil {
			continue
		}
		if red := st.text(dec); red != dec {
			segs[i] = url.PathEscape(red)
		}
	}
	return strings.Join(segs, "/")
}

func (st *redaction) query(q string) string {
	if q == "" {
		return ""
	}
	vals, err := url.ParseQuery(q)
	if err != nil {
		return st.text(q)
	}
	for k := range vals {
		if secretQuery[k] {
			delete(vals, k)
			continue
		}
		for i, v := range vals[k] {
			vals[k][i] = st.text(v)
		}
	}
	return vals.Encode()
}

func (st *redaction) body(contentType string, b Body) (Body, error) {
	data, err := b.Bytes()
	if err != nil || len(data) == 0 {
		return Body{}, err
	}
	mt, params, _ := mime.ParseMediaType(contentType)
	switch {
	case json.Valid(data) && (isJSONType(contentType) || len(b.JSON) > 0):
		var v any
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		if err := dec.Decode(&v); err != nil {
			return Body{}, err
		}
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(st.value(v, "")); err != nil {
			return Body{}, err
		}
		return NewBody("application/json", bytes.TrimSpace(buf.Bytes())), nil
	case mt == "application/x-www-form-urlencoded":
		vals, err := url.ParseQuery(string(data))
		if err != nil {
			return Body{Text: Redacted}, nil // an unparsable form may hold anything
		}
		for k := range vals {
			switch {
			case secretKeys[k] || tokenKeys[k]:
				delete(vals, k)
			case k == "client_id":
				vals[k] = []string{RedactedClientID}
			default:
				for i, v := range vals[k] {
					vals[k][i] = st.text(v)
				}
			}
		}
		return Body{Text: vals.Encode()}, nil
	case strings.HasPrefix(mt, "multipart/") && params["boundary"] != "":
		out, err := st.multipart(data, params["boundary"])
		if err != nil {
			return Body{}, fmt.Errorf("multipart body: %w", err)
		}
		return NewBody(contentType, out), nil
	case utf8.Valid(data):
		return Body{Text: st.text(string(data))}, nil
	default:
		return NewBody(contentType, data), nil
	}
}

// RecordedBoundary replaces the random boundary of a recorded multipart
// body (and its Content-Type), so re-recording gives the same bytes.
const RecordedBoundary = "xink-go-recorded-boundary"

// multipart rewrites every non-file part through text and re-frames the
// parts with RecordedBoundary.
func (st *redaction) multipart(data []byte, boundary string) ([]byte, error) {
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	if err := mw.SetBoundary(RecordedBoundary); err != nil {
		return nil, err
	}
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, err
		}
		content, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		h := textproto.MIMEHeader{}
		for k, vs := range p.Header {
			for _, v := range vs {
				h.Add(k, st.text(v))
			}
		}
		if secretKeys[p.FormName()] || tokenKeys[p.FormName()] {
			content = []byte(Redacted)
		} else if p.FileName() == "" && utf8.Valid(content) {
			content = []byte(st.text(string(content)))
		}
		w, err := mw.CreatePart(h)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(content); err != nil {
			return nil, err
		}
	}
	if err := mw.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
