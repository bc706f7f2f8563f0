// Package cassette is the recording format of the xink-go contract tests, the
// recording http.RoundTripper that redacts before it saves, and the replaying
// http.RoundTripper that answers from a recording.
//
// A cassette is one JSON file holding the interactions of one scenario, in
// order. Every cassette carries its provenance: ProvenanceXinkDocs (it
// reproduces an example from Xink's documentation), ProvenanceLive (recorded
// from the real API) or ProvenanceSynthetic (written by the project from its
// working model, usually recorded from the mock).
//
// Nothing unredacted is ever written: the Recorder keeps raw traffic in memory
// only and Recorder.Cassette runs it through a Redactor first.
package cassette

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"mime"
	"net/http"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"unicode/utf8"
)

// Provenance values of a cassette.
const (
	// ProvenanceXinkDocs marks a cassette that reproduces an example shown in
	// Xink's own documentation (discovery, token).
	ProvenanceXinkDocs = "xink-docs"
	// ProvenanceLive marks a cassette recorded from the real Xink API.
	ProvenanceLive = "live"
	// ProvenanceSynthetic marks a cassette written by the project from its
	// working model (typically recorded from the mock), not evidence of Xink's
	// behaviour.
	ProvenanceSynthetic = "synthetic"
)

// FormatVersion is the cassette format this package reads and writes.
const FormatVersion = 1

// Server roles a recorded request may be addressed to. Hosts are never
// stored; the role says which base URL the path is relative to.
const (
	ServerAuth  = "auth"  // the authorization server (token, discovery)
	ServerAPI   = "api"   // the data center's APIRoot (/api/1.0/...)
	ServerImg   = "img"   // ImgRoot (/Images/Get/...)
	ServerOther = "other" // anything else
)

// Cassette is the recording of one scenario.
type Cassette struct {
	// Version is FormatVersion.
	Version int `json:"version"`
	// Name is the scenario name; the file is <Name>.json.
	Name string `json:"name"`
	// Provenance is one of the Provenance constants.
	Provenance string `json:"provenance"`
	// Description says what the recording shows and, for synthetic
	// recordings, that it is not evidence.
	Description string `json:"description,omitempty"`
	// Interactions are the request/response pairs in the order they happened.
	Interactions []Interaction `json:"interactions"`
}

// Interaction is one request and the response it got.
type Interaction struct {
	// OperationID is the spec operation the request matched ("" if none).
	OperationID string `json:"operationId,omitempty"`
	// Request is the (redacted) request.
	Request Request `json:"request"`
	// Response is the (redacted) response.
	Response Response `json:"response"`
}

// Request is a recorded request. Hosts are not recorded (see Server).
type Request struct {
	// Method is the HTTP method.
	Method string `json:"method"`
	// Server is the role of the base URL (ServerAuth, ServerAPI, ...).
	Server string `json:"server"`
	// Path is the escaped path, e.g. /api/1.0/employee/a%2Fb@example.com.
	Path string `json:"path"`
	// Query is the encoded query string without '?', "" if none.
	Query string `json:"query,omitempty"`
	// Auth describes the credential sent, never its value: "" (none),
	// "basic" (client credentials in HTTP Basic), "bearer <placeholder>" for a
	// token issued earlier in the same cassette, or "bearer unissued" for a
	// token that no recorded token response issued (e.g. a deliberately
	// invalid one).
	Auth string `json:"auth,omitempty"`
	// Headers holds the allow-listed headers only.
	Headers http.Header `json:"headers,omitempty"`
	Body
}

// Response is a recorded response.
type Response struct {
	// Status is the HTTP status code.
	Status int `json:"status"`
	// Headers holds the allow-listed headers only.
	Headers http.Header `json:"headers,omitempty"`
	Body
}

// Body is a message body, stored in the most readable faithful form: JSON
// inline (whitespace is not preserved, everything else is), valid UTF-8 text
// as a string, anything else base64. At most one field is set.
type Body struct {
	// JSON is set when the body is a JSON document.
	JSON json.RawMessage `json:"body,omitempty"`
	// Text is set for other UTF-8 bodies (forms, multipart without binary
	// parts, plain text).
	Text string `json:"bodyText,omitempty"`
	// Base64 is set for binary bodies.
	Base64 string `json:"bodyBase64,omitempty"`
}

// NewBody stores data in the form Body documents; contentType decides
// whether JSON is stored inline.
func NewBody(contentType string, data []byte) Body {
	if len(data) == 0 {
		return Body{}
	}
	if isJSONType(contentType) && json.Valid(data) {
		var buf bytes.Buffer
		if err := json.Compact(&buf, data); err == nil {
			return Body{JSON: buf.Bytes()}
		}
	}
	if utf8.Valid(data) {
		return Body{Text: string(data)}
	}
	return Body{Base64: base64.StdEncoding.EncodeToString(data)}
}

// Bytes returns the body's bytes.
func (b Body) Bytes() ([]byte, error) {
	switch {
	case len(b.JSON) > 0:
		return slices.Clone(b.JSON), nil
	case b.Base64 != "":
		data, err := base64.StdEncoding.DecodeString(b.Base64)
		if err != nil {
			return nil, fmt.Errorf("bodyBase64: %w", err)
		}
		return data, nil
	default:
		return []byte(b.Text), nil
	}
}

// Empty reports whether the body has no bytes.
func (b Body) Empty() bool { return len(b.JSON) == 0 && b.Text == "" && b.Base64 == "" }

func (b Body) validate() error {
	n := 0
	if len(b.JSON) > 0 {
		n++
		if !json.Valid(b.JSON) {
			return errors.New("body is not valid JSON")
		}
	}
	if b.Text != "" {
		n++
	}
	if b.Base64 != "" {
		n++
		if _, err := base64.StdEncoding.DecodeString(b.Base64); err != nil {
			return fmt.Errorf("bodyBase64: %w", err)
		}
	}
	if n > 1 {
		return errors.New("more than one of body, bodyText and bodyBase64 is set")
	}
	return nil
}

func compact(b json.RawMessage) json.RawMessage {
	if len(b) == 0 {
		return b
	}
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return b
	}
	return buf.Bytes()
}

// isJSONType reports whether a Content-Type names JSON (application/json,
// application/problem+json, ...).
func isJSONType(contentType string) bool {
	mt, _, err := mime.ParseMediaType(contentType)
	if err != nil {
		return strings.Contains(strings.ToLower(contentType), "json")
	}
	return mt == "application/json" || strings.HasSuffix(mt, "+json")
}

// Validate checks a cassette for structural errors, naming the interaction
// and field at fault.
func (c *Cassette) Validate() error {
	if c.Version != FormatVersion {
		return fmt.Errorf("cassette %q: version is %d, want %d", c.Name, c.Version, FormatVersion)
	}
	if c.Name == "" || strings.ContainsAny(c.Name, `/\`) {
		return fmt.Errorf("cassette name %q: must be non-empty and contain no path separator", c.Name)
	}
	switch c.Provenance {
	case ProvenanceXinkDocs, ProvenanceLive, ProvenanceSynthetic:
	default:
		return fmt.Errorf("cassette %q: provenance %q is not one of %q, %q, %q",
			c.Name, c.Provenance, ProvenanceXinkDocs, ProvenanceLive, ProvenanceSynthetic)
	}
	if len(c.Interactions) == 0 {
		return fmt.Errorf("cassette %q: no interactions", c.Name)
	}
	for i, in := range c.Interactions {
		where := fmt.Sprintf("cassette %q interaction %d", c.Name, i)
		if in.Request.Method == "" || strings.ToUpper(in.Request.Method) != in.Request.Method {
			return fmt.Errorf("%s: request method %q must be upper-case and non-empty", where, in.Request.Method)
		}
		if !strings.HasPrefix(in.Request.Path, "/") {
			return fmt.Errorf("%s: request path %q must start with /", where, in.Request.Path)
		}
		if in.Response.Status < 100 || in.Response.Status > 599 {
			return fmt.Errorf("%s: response status %d is not an HTTP status", where, in.Response.Status)
		}
		if err := in.Request.validate(); err != nil {
			return fmt.Errorf("%s: request %w", where, err)
		}
		if err := in.Response.validate(); err != nil {
			return fmt.Errorf("%s: response %w", where, err)
		}
	}
	return nil
}

// Load reads and validates one cassette file.
func Load(path string) (*Cassette, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var c Cassette
	if err := dec.Decode(&c); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if err := c.Validate(); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	for i := range c.Interactions {
		c.Interactions[i].Request.JSON = compact(c.Interactions[i].Request.JSON)
		c.Interactions[i].Response.JSON = compact(c.Interactions[i].Response.JSON)
	}
	if want := c.Name + ".json"; filepath.Base(path) != want {
		return nil, fmt.Errorf("%s: cassette name %q does not match the file name (want %s)", path, c.Name, want)
	}
	return &c, nil
}

// LoadDir reads every *.json cassette in dir, sorted by name.
func LoadDir(dir string) ([]*Cassette, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil {
		return nil, err
	}
	sort.Strings(paths)
	out := make([]*Cassette, 0, len(paths))
	for _, p := range paths {
		c, err := Load(p)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

// Marshal encodes the cassette as indented JSON without HTML escaping, with a
// trailing newline: the bytes Save writes.
func (c *Cassette) Marshal() ([]byte, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(c); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Save writes the cassette to dir/<Name>.json atomically and returns the path.
func (c *Cassette) Save(dir string) (string, error) {
	data, err := c.Marshal()
	if err != nil {
		return "", err
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	path := filepath.Join(dir, c.Name+".json")
	tmp, err := os.CreateTemp(dir, "."+c.Name+"-*.tmp")
	if err != nil {
		return "", err
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if _, err := tmp.Write(data); err != nil {
		_ = tmp.Close()
		return "", err
	}
	if err := tmp.Close(); err != nil {
		return "", err
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return "", err
	}
	return path, os.Rename(tmp.Name(), path)
}

// Operations returns the distinct operation ids of the cassette's
// interactions, in first-seen order.
func (c *Cassette) Operations() []string {
	var out []string
	for _, in := range c.Interactions {
		if in.OperationID != "" && !slices.Contains(out, in.OperationID) {
			out = append(out, in.OperationID)
		}
	}
	return out
}
