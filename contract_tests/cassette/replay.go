package cassette

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
)

// ErrNoMatch is wrapped by the error Replayer.RoundTrip returns when no
// unused recorded interaction matches a request.
var ErrNoMatch = errors.New("cassette: no recorded interaction matches")

// Replayer is an http.RoundTripper that answers from a cassette and never
// touches the network. A request matches the first unused interaction with
// the same method, path, query, credential kind (Request.Auth) and body: JSON
// compared as values, forms field by field without client_id and
// client_secret, multipart part by part regardless of boundary.
type Replayer struct {
	c *Cassette

	mu     sync.Mutex
	used   []bool
	issued map[string]string
}

// NewReplayer returns a Replayer for c.
func NewReplayer(c *Cassette) (*Replayer, error) {
	if c == nil {
		return nil, errors.New("cassette: NewReplayer: nil cassette")
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &Replayer{c: c, used: make([]bool, len(c.Interactions)), issued: map[string]string{}}, nil
}

// Unused returns the indexes of interactions not replayed yet.
func (p *Replayer) Unused() []int {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []int
	for i, u := range p.used {
		if !u {
			out = append(out, i)
		}
	}
	return out
}

// RoundTrip implements http.RoundTripper.
func (p *Replayer) RoundTrip(req *http.Request) (*http.Response, error) {
	var body []byte
	if req.Body != nil && req.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(req.Body)
		_ = req.Body.Close()
		if err != nil {
			return nil, err
		}
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	auth := AuthOf(req.Header.Get("Authorization"), p.issued)
	path := req.URL.EscapedPath()
	var reasons []string
	for i, in := range p.c.Interactions {
		rec := in.Request
		if p.used[i] || rec.Method != req.Method || rec.Path != path {
			continue
		}
		if why := mismatch(rec, req, auth, body); why != "" {
			reasons = append(reasons, fmt.Sprintf("interaction %d: %s", i, why))
			continue
		}
		p.used[i] = true
		return p.respond(req, in.Response)
	}
	msg := fmt.Sprintf("%v in cassette %q: %s %s", ErrNoMatch, p.c.Name, req.Method, path)
	if req.URL.RawQuery != "" {
		msg += "?" + req.URL.RawQuery
	}
	if auth != "" {
		msg += " (auth " + auth + ")"
	}
	if len(reasons) > 0 {
		msg += "; same method and path but " + strings.Join(reasons, "; ")
	}
	return nil, fmt.Errorf("%w%s", ErrNoMatch, strings.TrimPrefix(msg, ErrNoMatch.Error()))
}

func (p *Replayer) respond(req *http.Request, rec Response) (*http.Response, error) {
	data, err := rec.Bytes()
	if err != nil {
		return nil, err
	}
	if len(rec.JSON) > 0 {
		var m map[string]any
		if json.Unmarshal(rec.JSON, &m) == nil {
			for k := range tokenKeys {
				if s, ok := m[k].(string); ok && s != "" {
					p.issued[s] = s
				}
			}
		}
	}
	h := http.Header{}
	for k, vs := range rec.Headers {
		h[http.CanonicalHeaderKey(k)] = append([]string(nil), vs...)
	}
	return &http.Response{
		Status:        fmt.Sprintf("%d %s", rec.Status, http.StatusText(rec.Status)),
		StatusCode:    rec.Status,
		Proto:         "HTTP/1.1",
		ProtoMajor:    1,
		ProtoMinor:    1,
		Header:        h,
		Body:          io.NopCloser(bytes.NewReader(data)),
		ContentLength: int64(len(data)),
		Request:       req,
	}, nil
}

// mismatch returns "" when req matches rec, otherwise why not.
func mismatch(rec Request, req *http.Request, auth string, body []byte) string {
	if !sameQuery(rec.Query, req.URL.RawQuery) {
		return fmt.Sprintf("query %q, recorded %q", req.URL.RawQuery, rec.Query)
	}
	if rec.Auth != auth {
		return fmt.Sprintf("auth %q, recorded %q", auth, rec.Auth)
	}
	recBody, err := rec.Bytes()
	if err != nil {
		return err.Error()
	}
	recCT := ""
	for k, vs := range rec.Headers {
		if strings.EqualFold(k, "Content-Type") && len(vs) > 0 {
			recCT = vs[0]
		}
	}
	if why := SameBody(recCT, recBody, req.Header.Get("Content-Type"), body); why != "" {
		return "body differs: " + why
	}
	return ""
}

func sameQuery(a, b string) bool {
	if a == b {
		return true
	}
	va, errA := url.ParseQuery(a)
	vb, errB := url.ParseQuery(b)
	return errA == nil && errB == nil && reflect.DeepEqual(va, vb)
}

// SameBody compares a recorded body with a live one and returns "" when they
// are equivalent, otherwise a short reason. JSON is compared as values; forms
// field by field, ignoring client_id, client_secret and other secrets (they
// are redacted in recordings); multipart part by part.
func SameBody(recType string, rec []byte, gotType string, got []byte) string {
	if len(rec) == 0 && len(got) == 0 {
		return ""
	}
	if json.Valid(rec) && json.Valid(got) && len(rec) > 0 && len(got) > 0 {
		var a, b any
		_ = json.Unmarshal(rec, &a)
		_ = json.Unmarshal(got, &b)
		if reflect.DeepEqual(a, b) {
			return ""
		}
		return fmt.Sprintf("JSON %s, recorded %s", clip(got), clip(rec))
	}
	mtRec, pRec, _ := mime.ParseMediaType(recType)
	mtGot, pGot, _ := mime.ParseMediaType(gotType)
	if mtRec == "application/x-www-form-urlencoded" || mtGot == "application/x-www-form-urlencoded" {
		a, errA := url.ParseQuery(string(rec))
		b, errB := url.ParseQuery(string(got))
		if errA != nil || errB != nil {
			return "form does not parse"
		}
		for _, v := range []url.Values{a, b} {
			for k := range v {
				if secretKeys[k] || tokenKeys[k] || k == "client_id" {
					delete(v, k)
				}
			}
		}
		if reflect.DeepEqual(a, b) {
			return ""
		}
		return fmt.Sprintf("form %q, recorded %q", b.Encode(), a.Encode())
	}
	if strings.HasPrefix(mtRec, "multipart/") && strings.HasPrefix(mtGot, "multipart/") {
		a, errA := parts(rec, pRec["boundary"])
		b, errB := parts(got, pGot["boundary"])
		if errA != nil || errB != nil {
			return fmt.Sprintf("multipart does not parse (%v, %v)", errA, errB)
		}
		if reflect.DeepEqual(a, b) {
			return ""
		}
		return fmt.Sprintf("multipart parts %v, recorded %v", summarise(b), summarise(a))
	}
	if bytes.Equal(rec, got) {
		return ""
	}
	return fmt.Sprintf("bytes %s, recorded %s", clip(got), clip(rec))
}

type part struct {
	Name, FileName, ContentType string
	Data                        []byte
}

func parts(data []byte, boundary string) ([]part, error) {
	mr := multipart.NewReader(bytes.NewReader(data), boundary)
	var out []part
	for {
		p, err := mr.NextRawPart()
		if errors.Is(err, io.EOF) {
			return out, nil
		}
		if err != nil {
			return nil, err
		}
		b, err := io.ReadAll(p)
		if err != nil {
			return nil, err
		}
		out = append(out, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), b})
	}
}

func summarise(ps []part) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s(%s,%s,%d bytes)", p.Name, p.FileName, p.ContentType, len(p.Data)))
	}
	return out
}

func clip(b []byte) string {
	const n = 200
	if len(b) > n {
		return fmt.Sprintf("%q...", b[:n])
	}
	return fmt.Sprintf("%q", b)
}
