package mockserver

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/getkin/kin-openapi/openapi3filter"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

// Token is an issued bearer token, as kept in memory and in a state file. Values are opaque
// 256-bit random strings.
type Token struct {
	Value     string    `json:"Token"`
	ClientID  string    `json:"ClientID"`
	Scopes    []string  `json:"Scopes"`
	Expires   time.Time `json:"Expires"`
	AccountID string    `json:"AccountID"`
	DC        string    `json:"DataCenter"`
}

// authError is what the AuthenticationFunc returns: 401 invalid_token or 403 insufficient_scope.
type authError struct {
	status int
	desc   string
	scope  string // the missing scope, for 403
}

func (e *authError) Error() string { return e.desc }

// wwwAuthenticate is the RFC 6750 challenge; quotes in the description become apostrophes
// so the quoted-string needs no escapes.
func (e *authError) wwwAuthenticate() string {
	desc := strings.ReplaceAll(e.desc, `"`, "'")
	if e.status == http.StatusForbidden {
		return fmt.Sprintf(`Bearer realm="xink", error="insufficient_scope", error_description="%s", scope="%s"`, desc, e.scope)
	}
	return fmt.Sprintf(`Bearer realm="xink", error="invalid_token", error_description="%s"`, desc)
}

// secretsEqual compares two secrets in constant time: it compares their SHA-256 digests, so
// neither the content nor the length of the expected secret shows in the timing. It
// returns 1 when they are equal.
func secretsEqual(got, want string) int {
	g, w := sha256.Sum256([]byte(got)), sha256.Sum256([]byte(want))
	return subtle.ConstantTimeCompare(g[:], w[:])
}

func newTokenValue() (string, error) {
	b := make([]byte, 32)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return base64.RawURLEncoding.EncodeToString(b), nil
}

// tokenHash keys the revoked set, so revoked tokens are not kept in the clear.
func tokenHash(t string) string {
	h := sha256.Sum256([]byte(t))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

func bearerToken(r *http.Request) (string, bool) {
	h := r.Header.Get("Authorization")
	if h == "" {
		return "", false
	}
	scheme, tok, ok := strings.Cut(h, " ")
	if !ok || !strings.EqualFold(scheme, "Bearer") {
		return "", true
	}
	return strings.TrimSpace(tok), true
}

// authenticate is the kin-openapi AuthenticationFunc. The scopes it checks come from the
// spec's security requirement for the matched operation (in.Scopes).
func (s *Server) authenticate(_ context.Context, in *openapi3filter.AuthenticationInput) error {
	switch in.SecuritySchemeName {
	case "basicClient":
		// The token handler authenticates the client (Basic or form) itself.
		return nil
	case "oauth2":
	default:
		return fmt.Errorf("security scheme %q is not supported by the mock", in.SecuritySchemeName)
	}
	r := in.RequestValidationInput.Request
	rs := stateFrom(r.Context())
	tok, present := bearerToken(r)
	if !present {
		return &authError{status: 401, desc: "the access token is missing (send Authorization: Bearer <token>)"}
	}
	if tok == "" {
		return &authError{status: 401, desc: "the Authorization header is not a Bearer token"}
	}
	now := s.Now()
	t, ok, revoked := s.lookupToken(tok)
	switch {
	case revoked:
		return &authError{status: 401, desc: "the access token was revoked"}
	case !ok:
		return &authError{status: 401, desc: "the access token is unknown"}
	case !now.Before(t.Expires):
		return &authError{status: 401, desc: "the access token expired"}
	}
	if rs != nil {
		rs.clientID, rs.accountID, rs.dc = t.ClientID, t.AccountID, t.DC
		if rs.pathDC != "" && rs.pathDC != t.DC {
			return &authError{status: 401, desc: fmt.Sprintf("the access token belongs to data center %s, not %s: use the APIRoot that Discovery returns", t.DC, rs.pathDC)}
		}
	}
	for _, sc := range in.Scopes {
		if !slices.Contains(t.Scopes, sc) {
			return &authError{status: 403, scope: sc, desc: fmt.Sprintf("insufficient scope: this operation needs %q", sc)}
		}
	}
	return nil
}

// oauthError answers the token endpoint with an RFC 6749 section 5.2 error.
func oauthError(status int, code, desc string) xinkserver.GetTokenResponseObject {
	body := xinkserver.OAuthError{Error: code}
	body.ErrorDescription.Set(desc)
	if status == http.StatusUnauthorized {
		return xinkserver.GetToken401JSONResponse{Body: body}
	}
	return xinkserver.GetToken400JSONResponse(body)
}

// clientCredentials extracts the client id and secret from HTTP Basic or the form. For Basic
// it returns the raw id and secret and their RFC 6749 form-decoded variants (x/oauth2 and
// other RFC-following clients send "id%40SRV").
func clientCredentials(r *http.Request) (ids, secrets []string, usedBasic bool, problem string) {
	form := r.PostForm
	if u, p, ok := r.BasicAuth(); ok {
		if form.Get("client_secret") != "" {
			return nil, nil, true, "the client authenticated twice (HTTP Basic and client_secret in the form); use one method"
		}
		ids, secrets = []string{u}, []string{p}
		if d, err := url.QueryUnescape(u); err == nil && d != u {
			ids = append(ids, d)
		}
		if d, err := url.QueryUnescape(p); err == nil && d != p {
			secrets = append(secrets, d)
		}
		if fid := form.Get("client_id"); fid != "" && !slices.Contains(ids, fid) {
			return nil, nil, true, "client_id in the form differs from the HTTP Basic user"
		}
		return ids, secrets, true, ""
	}
	if h := r.Header.Get("Authorization"); h != "" {
		return nil, nil, false, "the Authorization header is not HTTP Basic"
	}
	id, secret := form.Get("client_id"), form.Get("client_secret")
	if id == "" {
		return nil, nil, false, "no client credentials: send HTTP Basic or client_id and client_secret in the form"
	}
	return []string{id}, []string{secret}, false, ""
}

// GetToken implements POST /OAuth/Token (OAuth2 client credentials).
func (s *Server) GetToken(ctx context.Context, _ xinkserver.GetTokenRequestObject) (xinkserver.GetTokenResponseObject, error) {
	rs := stateFrom(ctx)
	r := rs.r
	client, resp := s.tokenPreflight(r, rs)
	if resp != nil {
		return resp, nil
	}
	return s.issueToken(r, client)
}

// tokenPreflight checks a token request up to the client's authentication (the form must be
// parsed): no credentials in the query, no repeated parameter (RFC 6749 3.2), the grant type,
// and the client's id and secret. It returns the client, or the error answer.
func (s *Server) tokenPreflight(r *http.Request, rs *reqState) (*Client, xinkserver.GetTokenResponseObject) {
	if q := r.URL.Query(); q.Has("client_secret") || q.Has("client_id") {
		return nil, oauthError(400, "invalid_request", "client credentials must not be sent in the query string")
	}
	repeated := make([]string, 0)
	for k, v := range r.PostForm {
		if len(v) > 1 {
			repeated = append(repeated, k)
		}
	}
	if len(repeated) > 0 {
		slices.Sort(repeated)
		return nil, oauthError(400, "invalid_request", fmt.Sprintf("parameter %q is included more than once (RFC 6749 section 3.2 allows each parameter once)", truncate(repeated[0])))
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		if gt == "" {
			return nil, oauthError(400, "invalid_request", "grant_type is missing")
		}
		return nil, oauthError(400, "unsupported_grant_type", fmt.Sprintf("grant_type %q is not supported; use client_credentials", truncate(gt)))
	}
	ids, secrets, usedBasic, problem := clientCredentials(r)
	if problem != "" {
		return nil, oauthError(400, "invalid_request", problem)
	}
	var client *Client
	for _, id := range ids {
		if c, ok := s.clients[id]; ok {
			client = c
			break
		}
	}
	secretOK := 0
	want := "\x00unknown client" // compared all the same, so an unknown id costs the same time
	if client != nil {
		want = client.Secret
	}
	for _, sec := range secrets {
		secretOK |= secretsEqual(sec, want)
	}
	if client == nil || secretOK != 1 {
		rs.clientID = ""
		resp := xinkserver.GetToken401JSONResponse{Body: xinkserver.OAuthError{Error: "invalid_client"}}
		resp.Body.ErrorDescription.Set("client authentication failed (unknown client or wrong secret)")
		if usedBasic {
			h := `Basic realm="xink"`
			resp.Headers.WWWAuthenticate = &h
		}
		return nil, resp
	}
	rs.clientID = client.ID
	return client, nil
}

// issueToken grants the requested scopes (all the client's by default) and stores a token.
func (s *Server) issueToken(r *http.Request, client *Client) (xinkserver.GetTokenResponseObject, error) {
	granted := slices.Clone(client.Scopes)
	if raw := strings.TrimSpace(r.PostForm.Get("scope")); raw != "" {
		granted = granted[:0]
		for _, sc := range strings.Fields(raw) {
			if !slices.Contains(allScopes, sc) {
				return oauthError(400, "invalid_scope", fmt.Sprintf("scope %q is unknown (known: %s)", truncate(sc), strings.Join(allScopes, " "))), nil
			}
			if !slices.Contains(client.Scopes, sc) {
				return oauthError(400, "invalid_scope", fmt.Sprintf("scope %q is not allowed for this client", sc)), nil
			}
			if !slices.Contains(granted, sc) {
				granted = append(granted, sc)
			}
		}
	}
	val, err := newTokenValue()
	if err != nil {
		return nil, fmt.Errorf("token: %w", err)
	}
	accountID := client.AccountID
	s.storeToken(&Token{Value: val, ClientID: client.ID, Scopes: granted, Expires: s.Now().Add(s.cfg.tokenTTL), AccountID: accountID, DC: client.DataCenter})
	ttl := int64(s.cfg.tokenTTL / time.Second)
	typ, scope := "bearer", strings.Join(granted, " ")
	return xinkserver.GetToken200JSONResponse{AccessToken: val, TokenType: &typ, ExpiresIn: &ttl, Scope: &scope}, nil
}

// GetDiscovery implements GET /Discovery: the client's data center and this mock's own URLs.
func (s *Server) GetDiscovery(ctx context.Context, _ xinkserver.GetDiscoveryRequestObject) (xinkserver.GetDiscoveryResponseObject, error) {
	rs := stateFrom(ctx)
	base := s.baseURL(rs.r)
	dc := rs.dc
	api, img, sync, track := s.apiRoot(base, dc), base+ImgPath, base+SyncPath, base+TrackingPath
	return xinkserver.GetDiscovery200JSONResponse{Success: true, DataCenterID: &dc, APIRoot: &api, ImgRoot: &img, SyncRoot: &sync, TrackingRoot: &track}, nil
}

// lookupToken returns a live token (a copy), and whether an unknown value was revoked.
func (s *Server) lookupToken(v string) (Token, bool, bool) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	t, ok := s.tokens[v]
	if !ok {
		return Token{}, false, s.revoked[tokenHash(v)]
	}
	return *t, true, false
}

func (s *Server) storeToken(t *Token) {
	s.ctl.Lock()
	defer s.ctl.Unlock()
	s.tokens[t.Value] = t
	s.issued++
}
