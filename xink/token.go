package xink

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// defaultTokenLifetime is assumed when a token response carries no expires_in (Xink's
// documented default is two hours).
const defaultTokenLifetime = 2 * time.Hour

// tokenCache holds the current bearer token and fetches a new one when it is missing or
// about to expire, with a single fetch however many goroutines ask at once.
type tokenCache struct {
	c *Client

	mu       sync.Mutex
	tok      *oauth2.Token
	lifetime time.Duration
	fetches  int // token requests that returned a token (for the logger and tests)

	fl flight[*oauth2.Token]
}

// valid reports whether tok can still be used at now, refreshing skew before expiry (at most
// half the token's lifetime, so short-lived tokens are still used).
func (tc *tokenCache) validLocked(now time.Time) bool {
	if tc.tok == nil {
		return false
	}
	skew := tc.c.cfg.tokenSkew
	if half := tc.lifetime / 2; skew > half {
		skew = half
	}
	return now.Before(tc.tok.Expiry.Add(-skew))
}

// token returns a valid token, fetching one if needed.
func (tc *tokenCache) token(ctx context.Context) (*oauth2.Token, error) {
	tc.mu.Lock()
	if tc.validLocked(tc.c.cfg.now()) {
		t := tc.tok
		tc.mu.Unlock()
		return t, nil
	}
	tc.mu.Unlock()
	return tc.fl.do(ctx, func(ctx context.Context) (*oauth2.Token, error) {
		tc.mu.Lock()
		if tc.validLocked(tc.c.cfg.now()) { // fetched while we queued
			t := tc.tok
			tc.mu.Unlock()
			return t, nil
		}
		tc.mu.Unlock()
		t, lifetime, err := tc.fetch(ctx)
		if err != nil {
			return nil, err
		}
		tc.mu.Lock()
		tc.tok, tc.lifetime = t, lifetime
		tc.fetches++
		tc.mu.Unlock()
		return t, nil
	})
}

// invalidate drops the cached token if it is still accessToken (a newer one is kept).
func (tc *tokenCache) invalidate(accessToken string) {
	tc.mu.Lock()
	defer tc.mu.Unlock()
	if tc.tok != nil && tc.tok.AccessToken == accessToken {
		tc.tok = nil
	}
}

// fetch performs one client-credentials token request (retried by the token transport).
func (tc *tokenCache) fetch(ctx context.Context) (*oauth2.Token, time.Duration, error) {
	c := tc.c
	form := url.Values{"grant_type": {"client_credentials"}}
	if len(c.cfg.scopes) > 0 {
		form.Set("scope", strings.Join(c.cfg.scopes, " "))
	}
	var editors []func(context.Context, *http.Request) error
	switch c.cfg.authStyle {
	case AuthStyleBasic:
		// Raw bytes on purpose: x/oauth2's AuthStyleInHeader URL-escapes "@" in "...@SRV".
		basic := base64.StdEncoding.EncodeToString([]byte(c.cfg.clientID + ":" + c.cfg.clientSecret))
		editors = append(editors, func(_ context.Context, r *http.Request) error {
			r.Header.Set("Authorization", "Basic "+basic)
			return nil
		})
	default:
		form.Set("client_id", c.cfg.clientID)
		form.Set("client_secret", c.cfg.clientSecret)
	}
	editors = append(editors, func(_ context.Context, r *http.Request) error {
		r.Header.Set("Accept", "application/json")
		return nil
	})
	resp, err := c.tokenAPI.GetTokenWithBody(ctx, "application/x-www-form-urlencoded",
		strings.NewReader(form.Encode()), toEditors(editors)...)
	if err != nil {
		return nil, 0, wrapOp("getToken", err)
	}
	body, err := readBody(resp)
	if errors.Is(err, ErrResponseTooLarge) {
		return nil, 0, wrapOp("getToken", err)
	}
	if err != nil {
		return nil, 0, wrapOp("getToken", fmt.Errorf("reading response: %w", err))
	}
	if resp.StatusCode != http.StatusOK {
		return nil, 0, newError("getToken", resp, body)
	}
	t, lifetime, err := decodeToken(body, c.cfg.now())
	if err != nil {
		return nil, 0, wrapOp("getToken", err)
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "xink: token fetched",
		slog.String("token_type", t.TokenType), slog.Duration("expires_in", lifetime))
	return t, lifetime, nil
}

// maxExpiresIn is the largest expires_in accepted, in seconds (about 292 years: what a
// time.Duration holds).
const maxExpiresIn = int64((1<<63 - 1) / time.Second)

// decodeToken reads a token response. It must be a JSON object with an access_token made
// of printable characters (a control character such as CR or LF is refused here rather than
// failing later inside net/http); token_type, when sent, must be bearer (in any case);
// expires_in may be a JSON number or a numeric string, and must be above zero and within
// maxExpiresIn. Error messages never include the token.
func decodeToken(body []byte, now time.Time) (*oauth2.Token, time.Duration, error) {
	if trimmed := bytes.TrimLeft(body, " \t\r\n"); len(trimmed) == 0 || trimmed[0] != '{' {
		return nil, 0, fmt.Errorf("token response is not a JSON object")
	}
	var raw struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
		Scope       string          `json:"scope"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return nil, 0, fmt.Errorf("decoding token response: %s is a JSON %s, not a %s", te.Field, te.Value, te.Type)
		}
		return nil, 0, fmt.Errorf("decoding token response: %v", err)
	}
	if raw.AccessToken == "" {
		return nil, 0, fmt.Errorf("token response has no access_token")
	}
	for i := 0; i < len(raw.AccessToken); i++ {
		if c := raw.AccessToken[i]; c < 0x20 || c == 0x7f {
			return nil, 0, fmt.Errorf("token response: access_token contains a control character (byte %d of %d)", i, len(raw.AccessToken))
		}
	}
	if raw.TokenType != "" && !strings.EqualFold(raw.TokenType, "bearer") {
		return nil, 0, fmt.Errorf("token response: token_type %q is not supported (want bearer)", raw.TokenType)
	}
	lifetime := defaultTokenLifetime
	if s := strings.TrimSpace(string(raw.ExpiresIn)); s != "" && s != "null" {
		if uq, err := strconv.Unquote(s); err == nil {
			s = strings.TrimSpace(uq)
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil && !errors.Is(err, strconv.ErrRange) {
			return nil, 0, fmt.Errorf("token response: expires_in %s is not a number of seconds", raw.ExpiresIn)
		}
		switch {
		case err != nil || math.IsInf(f, 0) || f > float64(maxExpiresIn):
			return nil, 0, fmt.Errorf("token response: expires_in %s is out of range (at most %d seconds)", raw.ExpiresIn, maxExpiresIn)
		case math.IsNaN(f) || f < 1:
			return nil, 0, fmt.Errorf("token response: expires_in %s is not positive (at least 1 second is needed)", raw.ExpiresIn)
		}
		secs, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			secs = int64(f) // a fraction (or exponent form) within range
		}
		lifetime = time.Duration(secs) * time.Second
	}
	if raw.TokenType == "" {
		raw.TokenType = "Bearer"
	}
	t := &oauth2.Token{AccessToken: raw.AccessToken, TokenType: raw.TokenType,
		Expiry: now.Add(lifetime), ExpiresIn: int64(lifetime / time.Second)}
	if raw.Scope != "" {
		t = t.WithExtra(map[string]any{"scope": raw.Scope})
	}
	return t, lifetime, nil
}

// MaxResponseBytes bounds the body of a successful (2xx) response the client reads: 32 MiB.
// A larger body is not decoded; the call fails with an error saying the response body is
// larger than 32 MiB. Error (non-2xx) bodies are read only as far as an *Error keeps them
// (64 KiB), and at most maxErrorDrain more bytes are discarded so the connection can be reused.
const MaxResponseBytes = 32 << 20

// maxErrorDrain bounds what is read and discarded after the kept part of an error body.
const maxErrorDrain = 256 << 10

// readBody reads and closes a response body. A 2xx body is read in full up to
// MaxResponseBytes, and a longer one is an error (never a silent cut). Any other status keeps
// at most maxErrorBody bytes and discards at most maxErrorDrain more.
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		b, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
		if err == nil {
			_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, maxErrorDrain))
		}
		return b, err
	}
	b, err := io.ReadAll(io.LimitReader(resp.Body, MaxResponseBytes+1))
	if err != nil {
		return nil, err
	}
	if len(b) > MaxResponseBytes {
		return nil, ErrResponseTooLarge
	}
	return b, nil
}
