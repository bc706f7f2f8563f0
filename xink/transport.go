package xink

import (
	"context"

	"io"
	"log/slog"
	"net/http"
	"time"

	"github.com/xink-go/xink-go/generated/xinkapi"
)

// doer sends the generated client's requests: it sets User-Agent, attaches the bearer token
// (only to the auth host and the API host), retries what may be retried, and on a 401
// invalid_token drops the token, fetches a new one and sends the request once more.
type doer struct {
	c *Client
	// bearer attaches the token to requests for allowed hosts.
	bearer bool
	// retryAnyMethod retries POST too (token requests are safe to repeat).
	retryAnyMethod bool
}

var _ xinkapi.HttpRequestDoer = (*doer)(nil)

func toEditors(fns []func(context.Context, *http.Request) error) []xinkapi.RequestEditorFn {
	out := make([]xinkapi.RequestEditorFn, len(fns))
	for i, f := range fns {
		out[i] = f
	}
	return out
}

// retryableMethod reports whether a request with this method may be sent again after a
// network error or a 429/502/503/504.
func (d *doer) retryableMethod(m string) bool {
	if d.retryAnyMethod {
		return true
	}
	switch m {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}

func retryableStatus(code int) bool {
	switch code {
	case http.StatusTooManyRequests, http.StatusBadGateway, http.StatusServiceUnavailable, http.StatusGatewayTimeout:
		return true
	}
	return false
}

// Do implements xinkapi.HttpRequestDoer.
func (d *doer) Do(req *http.Request) (*http.Response, error) {
	c := d.c
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// A body we cannot rewind (a streamed upload) is sent once.
	rewindable := req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
	sendBearer := d.bearer && c.allowedOrigin(req.URL)
	var token string
	if sendBearer {
		t, err := c.tokens.token(ctx)
		if err != nil {
			return nil, err
		}
		token = t.AccessToken
	}
	refreshed := false
	policy := c.cfg.retry
	for attempt := 1; ; attempt++ {
		r := req.Clone(ctx)
		if attempt > 1 || refreshed {
			if req.GetBody != nil {
				b, err := req.GetBody()
				if err != nil {
					return nil, err
				}
				r.Body = b
			}
		}
		r.Header.Set("User-Agent", c.cfg.userAgent)
		if sendBearer {
			r.Header.Set("Authorization", "Bearer "+token)
		} else if d.bearer {
			r.Header.Del("Authorization")
		}
		start := c.cfg.now()
		resp, err := c.hc.Do(r)
		log := c.cfg.logger
		if err != nil {
			if ctxErr := ctx.Err(); ctxErr != nil {
				return nil, err
			}
			log.LogAttrs(ctx, slog.LevelDebug, "xink: request failed",
				slog.String("method", r.Method), slog.String("path", r.URL.Path),
				slog.Int("attempt", attempt), slog.String("error", err.Error()))
			if !d.retryableMethod(r.Method) || !rewindable || attempt >= policy.MaxAttempts {
				return nil, err
			}
			if serr := d.wait(ctx, attempt, 0, r, 0, false); serr != nil {
				return nil, serr
			}
			continue
		}
		log.LogAttrs(ctx, slog.LevelDebug, "xink: request",
			slog.String("method", r.Method), slog.String("path", r.URL.Path),
			slog.Int("status", resp.StatusCode), slog.Int("attempt", attempt),
			slog.Duration("elapsed", c.cfg.now().Sub(start)))

		if resp.StatusCode == http.StatusUnauthorized && sendBearer && !refreshed && rewindable &&
			isInvalidToken(resp) {
			drain(resp)
			c.tokens.invalidate(token)
			t, err := c.tokens.token(ctx)
			if err != nil {
				return nil, err
			}
			token, refreshed = t.AccessToken, true
			log.LogAttrs(ctx, slog.LevelInfo, "xink: token refused (invalid_token); retrying with a new token",
				slog.String("method", r.Method), slog.String("path", r.URL.Path))
			attempt-- // the retry after a refresh does not count against the policy
			continue
		}
		if retryableStatus(resp.StatusCode) && d.retryableMethod(r.Method) && rewindable && attempt < policy.MaxAttempts {
			retryAfter, hasRetryAfter := parseRetryAfter(resp.Header.Get("Retry-After"), c.cfg.now())
			if hasRetryAfter && retryAfter > policy.MaxDelay {
				return resp, nil // the server asks for longer than we are willing to wait
			}
			drain(resp)
			if serr := d.wait(ctx, attempt, resp.StatusCode, r, retryAfter, hasRetryAfter); serr != nil {
				return nil, serr
			}
			continue
		}
		return resp, nil
	}
}

// wait sleeps before the next attempt: Retry-After when the server sent one, otherwise
// exponential backoff with full jitter. It returns the context's error at once if the
// context ends first.
func (d *doer) wait(ctx context.Context, attempt, status int, r *http.Request, retryAfter time.Duration, hasRetryAfter bool) error {
	c := d.c
	delay := retryAfter
	if !hasRetryAfter {
		ceiling := c.cfg.retry.BaseDelay << (attempt - 1)
		if ceiling > c.cfg.retry.MaxDelay || ceiling <= 0 {
			ceiling = c.cfg.retry.MaxDelay
		}
		if ceiling > 0 {
			delay = time.Duration(c.cfg.rand(int64(ceiling) + 1))
		}
	}
	c.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "xink: retrying",
		slog.String("method", r.Method), slog.String("path", r.URL.Path),
		slog.Int("status", status), slog.Int("attempt", attempt), slog.Duration("wait", delay))
	return c.cfg.sleep(ctx, delay)
}

// sleepContext waits d or until ctx ends, whichever is first.
func sleepContext(ctx context.Context, d time.Duration) error {
	if d <= 0 {
		return ctx.Err()
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// isInvalidToken reports whether a 401 says the bearer token itself was refused (RFC 6750
// invalid_token), as opposed to, say, a missing-credentials challenge.
func isInvalidToken(resp *http.Response) bool {
	ch := parseBearerChallenge(resp.Header.Values("WWW-Authenticate"))
	if ch != nil {
		return ch["error"] == "invalid_token"
	}
	return false
}

// drain reads a little of a response we discard and closes it, so the connection is reused.
func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	_ = resp.Body.Close()
}

// noRedirect makes an http.Client return 3xx responses instead of following them.
func noRedirect(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
