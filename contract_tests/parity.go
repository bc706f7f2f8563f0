package contracttests

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"

	"github.com/xink-go/xink-go/contract_tests/cassette"
	"github.com/xink-go/xink-go/contract_tests/conform"
)

// ParityTarget is a server to replay recorded requests against.
type ParityTarget struct {
	// BaseURL serves the token endpoint, discovery and /api/1.0 (the mock
	// serves everything on one listener).
	BaseURL string
	// ClientID and ClientSecret are valid credentials with every scope.
	ClientID, ClientSecret string
	// HTTP sends the requests (http.DefaultClient if nil).
	HTTP *http.Client
}

// Mismatch is one parity difference.
type Mismatch struct {
	// Where is cassette#interaction.
	Where string
	// Operation is the interaction's operationId.
	Operation string
	// Problem says what differs; shape differences name the JSON path.
	Problem string
}

// String renders the mismatch as "cassette#i operation: problem".
func (m Mismatch) String() string { return fmt.Sprintf("%s %s: %s", m.Where, m.Operation, m.Problem) }

// idKeys are JSON properties whose values identify server-created objects;
// parity maps the recorded values to the target's.
var idKeys = map[string]bool{"Id": true, "AccountId": true, "SignatureId": true}

// Parity replays each recorded request of c, in order, against the target
// and compares the status and the JSON shape (key sets and JSON types; values
// may differ; a null matches any type) with the recorded response.
// Credentials are the target's: the recorded token request gets the target's
// client credentials (a wrong secret where the recording shows 401), a
// request that carried the n-th recorded token carries the n-th token the
// target issued, and "bearer unissued" becomes BadToken. Ids the target
// assigns differently (Id, AccountId, SignatureId) are mapped in later paths
// and bodies. For a xink-docs cassette the recorded body is Xink's published
// example, which may leave fields out: only fields missing from the target,
// or of another type, count.
func Parity(ctx context.Context, c *cassette.Cassette, tg ParityTarget) ([]Mismatch, error) {
	hc := tg.HTTP
	if hc == nil {
		hc = &http.Client{CheckRedirect: NoRedirect}
	}
	tokens := map[string]string{} // recorded placeholder -> target token
	ids := map[string]string{}    // recorded id -> target id
	var out []Mismatch
	for i, in := range c.Interactions {
		where := fmt.Sprintf("%s#%d", c.Name, i)
		req, err := parityRequest(ctx, tg, in, tokens, ids)
		if err != nil {
			return out, fmt.Errorf("%s: %w", where, err)
		}
		resp, err := hc.Do(req)
		if err != nil {
			return out, fmt.Errorf("%s: %w", where, err)
		}
		body, err := io.ReadAll(resp.Body)
		_ = resp.Body.Close()
		if err != nil {
			return out, fmt.Errorf("%s: %w", where, err)
		}
		if resp.StatusCode != in.Response.Status {
			out = append(out, Mismatch{where, in.OperationID, fmt.Sprintf("status %d from the target, %d recorded; target body %.200s", resp.StatusCode, in.Response.Status, body)})
			continue
		}
		recBody, err := in.Response.Bytes()
		if err != nil {
			return out, fmt.Errorf("%s: %w", where, err)
		}
		if len(in.Response.JSON) == 0 && len(recBody) == 0 && len(body) == 0 {
			continue
		}
		if !json.Valid(recBody) || !json.Valid(body) {
			if json.Valid(recBody) != json.Valid(body) {
				out = append(out, Mismatch{where, in.OperationID, fmt.Sprintf("recorded body is JSON=%v, target's JSON=%v", json.Valid(recBody), json.Valid(body))})
			}
			continue
		}
		for _, line := range conform.ShapeDiff(recBody, body) {
			if c.Provenance == cassette.ProvenanceXinkDocs && strings.Contains(line, ": only in got") {
				continue
			}
			line = strings.NewReplacer("in want", "recorded", "in got", "from the target").Replace(line)
			out = append(out, Mismatch{where, in.OperationID, "shape " + line})
		}
		learn(recBody, body, in.Request.Method == http.MethodPost, tokens, ids)
	}
	return out, nil
}

func parityRequest(ctx context.Context, tg ParityTarget, in cassette.Interaction, tokens, ids map[string]string) (*http.Request, error) {
	rec := in.Request
	segs := strings.Split(rec.Path, "/")
	for i, s := range segs {
		if v, ok := ids[s]; ok {
			segs[i] = url.PathEscape(v)
		}
	}
	u := strings.TrimRight(tg.BaseURL, "/") + strings.Join(segs, "/")
	if rec.Query != "" {
		u += "?" + rec.Query
	}
	body, err := rec.Bytes()
	if err != nil {
		return nil, err
	}
	ct := ""
	for k, vs := range rec.Headers {
		if strings.EqualFold(k, "Content-Type") && len(vs) > 0 {
			ct = vs[0]
		}
	}
	mt, _, _ := mime.ParseMediaType(ct)
	switch {
	case mt == "application/x-www-form-urlencoded":
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return nil, fmt.Errorf("recorded form: %w", err)
		}
		if form.Has("client_id") || rec.Auth == "" && strings.EqualFold(rec.Path, "/OAuth/Token") {
			secret := tg.ClientSecret
			if in.Response.Status == http.StatusUnauthorized {
				secret += "-wrong"
			}
			form.Set("client_id", tg.ClientID)
			form.Set("client_secret", secret)
		}
		body = []byte(form.Encode())
	case len(rec.JSON) > 0 && len(ids) > 0:
		if v, err := decodeNumbers(body); err == nil {
			body, _ = json.Marshal(mapIDs(v, "", ids))
		}
	}
	req, err := http.NewRequestWithContext(ctx, rec.Method, u, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if len(body) == 0 {
		req.Body, req.ContentLength = http.NoBody, 0
	}
	for k, vs := range rec.Headers {
		for _, v := range vs {
			req.Header.Add(k, v)
		}
	}
	switch {
	case rec.Auth == "":
	case rec.Auth == "basic":
		secret := tg.ClientSecret
		if in.Response.Status == http.StatusUnauthorized {
			secret += "-wrong"
		}
		req.Header.Set("Authorization", "Basic "+base64.StdEncoding.EncodeToString([]byte(tg.ClientID+":"+secret)))
	case rec.Auth == "bearer unissued":
		req.Header.Set("Authorization", "Bearer "+BadToken)
	case strings.HasPrefix(rec.Auth, "bearer "):
		tok, ok := tokens[strings.TrimPrefix(rec.Auth, "bearer ")]
		if !ok {
			return nil, fmt.Errorf("request uses %s, which no earlier interaction issued", rec.Auth)
		}
		req.Header.Set("Authorization", "Bearer "+tok)
	default:
		return nil, fmt.Errorf("unknown auth %q", rec.Auth)
	}
	return req, nil
}

func mapIDs(v any, key string, ids map[string]string) any {
	switch x := v.(type) {
	case map[string]any:
		for k, e := range x {
			x[k] = mapIDs(e, k, ids)
		}
	case []any:
		for i, e := range x {
			x[i] = mapIDs(e, key, ids)
		}
	case string:
		if m, ok := ids[x]; ok && idKeys[key] {
			return m
		}
	case json.Number:
		if m, ok := ids[string(x)]; ok && idKeys[key] {
			return json.Number(m)
		}
	}
	return v
}

func decodeNumbers(data []byte) (any, error) {
	var v any
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	err := dec.Decode(&v)
	return v, err
}

// learn pairs the recorded and target values of tokens (any response) and
// of server-assigned ids (responses to POST, i.e. creations) at the same
// JSON positions.
func learn(recBody, body []byte, created bool, tokens, ids map[string]string) {
	a, errA := decodeNumbers(recBody)
	b, errB := decodeNumbers(body)
	if errA != nil || errB != nil {
		return
	}
	var walk func(x, y any, key string)
	walk = func(x, y any, key string) {
		switch xa := x.(type) {
		case map[string]any:
			ya, ok := y.(map[string]any)
			if !ok {
				return
			}
			for k, v := range xa {
				if w, ok := ya[k]; ok {
					walk(v, w, k)
				}
			}
		case []any:
			ya, ok := y.([]any)
			if !ok {
				return
			}
			for i := 0; i < len(xa) && i < len(ya); i++ {
				walk(xa[i], ya[i], key)
			}
		default:
			sx, sy := fmt.Sprint(x), fmt.Sprint(y)
			switch {
			case key == "access_token":
				tokens[sx] = sy
			case created && idKeys[key] && sx != sy:
				ids[sx] = sy
			}
		}
	}
	walk(a, b, "")
}
