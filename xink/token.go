package xink

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
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

// decodeToken reads a token response; expires_in may be a JSON number or a numeric string.
func decodeToken(body []byte, now time.Time) (*oauth2.Token, time.Duration, error) {
	var raw struct {
		AccessToken string          `json:"access_token"`
		TokenType   string          `json:"token_type"`
		ExpiresIn   json.RawMessage `json:"expires_in"`
		Scope       string          `json:"scope"`
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	if err := dec.Decode(&raw); err != nil {
		return nil, 0, fmt.Errorf("decoding token response: %v", err)
	}
	if raw.AccessToken == "" {
		return nil, 0, fmt.Errorf("token response has no access_token")
	}
	lifetime := defaultTokenLifetime
	if s := strings.TrimSpace(string(raw.ExpiresIn)); s != "" && s != "null" {
		if uq, err := strconv.Unquote(s); err == nil {
			s = strings.TrimSpace(uq)
		}
		secs, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			f, ferr := strconv.ParseFloat(s, 64)
			if ferr != nil {
				return nil, 0, fmt.Errorf("token response: expires_in %s is not a number of seconds", raw.ExpiresIn)
			}
			secs = int64(f)
		}
		if secs <= 0 {
			return nil, 0, fmt.Errorf("token response: expires_in %d is not positive", secs)
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

// readBody reads and closes a response body (at most 32 MiB).
func readBody(resp *http.Response) ([]byte, error) {
	defer resp.Body.Close()
	return io.ReadAll(io.LimitReader(resp.Body, 32<<20))
}
