package xink

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
)

// DefaultAuthURL is Xink's authorization server: the token endpoint and discovery live here.
const DefaultAuthURL = "https://auth.xink.io"

// DefaultPageSize is the page size Employees walks with unless WithPageSize says otherwise.
// It is also the largest page Xink serves.
const DefaultPageSize = 500

// DefaultUserAgent is sent as User-Agent unless WithUserAgent replaces it.
const DefaultUserAgent = "xink-go"

// DataCenterAPIRoot returns the documented API root of a Xink data center (US, EU, UK, CA or
// AU; case-insensitive) and whether the name is known.
func DataCenterAPIRoot(dataCenter string) (string, bool) {
	switch strings.ToUpper(strings.TrimSpace(dataCenter)) {
	case "US":
		return "https://e.xink.io", true
	case "EU":
		return "https://e-eu.xink.io", true
	case "UK":
		return "https://e-uk.xink.io", true
	case "CA":
		return "https://e-ca.xink.io", true
	case "AU":
		return "https://e-au.xink.io", true
	}
	return "", false
}

// Scopes Xink documents (the complete list). WithScopes accepts only these.
const (
	ScopeEmployeeRead           = "employeeread"
	ScopeEmployeeFieldsRead     = "employeefieldsread"
	ScopeEmployeeCtrl           = "employeectrl"
	ScopeEmployeeSignaturesRead = "employeesignaturesread"
	ScopeSignatureCtrl          = "signaturectrl"
	ScopeManagedAccountsRead    = "managedaccountsread"
	ScopeManagedAccountsCtrl    = "managedaccountsctrl"
)

// AllScopes returns every scope Xink documents, in a fixed order.
func AllScopes() []string {
	return []string{ScopeEmployeeRead, ScopeEmployeeFieldsRead, ScopeEmployeeCtrl,
		ScopeEmployeeSignaturesRead, ScopeSignatureCtrl, ScopeManagedAccountsRead, ScopeManagedAccountsCtrl}
}

// AuthStyle says how the client authenticates at the token endpoint.
type AuthStyle int

const (
	// AuthStyleForm sends client_id and client_secret as form fields (the default; documented
	// by Xink and immune to encoding differences).
	AuthStyleForm AuthStyle = iota + 1
	// AuthStyleBasic sends HTTP Basic built from the raw bytes of id and secret, so an id
	// like "...@SRV" arrives unchanged (golang.org/x/oauth2 would escape "@" to "%40").
	AuthStyleBasic
)

// String names the style.
func (s AuthStyle) String() string {
	switch s {
	case AuthStyleForm:
		return "form"
	case AuthStyleBasic:
		return "basic"
	}
	return fmt.Sprintf("AuthStyle(%d)", int(s))
}

// RetryPolicy bounds how often and how long the client retries. Network errors, 429, 502,
// 503 and 504 are retried for GET, HEAD, PUT, DELETE and token requests; POST never is.
// Waits grow exponentially with full jitter; a Retry-After header is honoured as given.
type RetryPolicy struct {
	// MaxAttempts is the total number of attempts, the first included (1 disables retries).
	MaxAttempts int
	// BaseDelay is the backoff before the first retry (before jitter).
	BaseDelay time.Duration
	// MaxDelay caps a single wait. A Retry-After longer than MaxDelay is not waited for: the
	// error (with Error.RetryAfter) is returned instead.
	MaxDelay time.Duration
}

// DefaultRetryPolicy is 4 attempts, 500ms base delay, 30s cap.
func DefaultRetryPolicy() RetryPolicy {
	return RetryPolicy{MaxAttempts: 4, BaseDelay: 500 * time.Millisecond, MaxDelay: 30 * time.Second}
}

func (p RetryPolicy) validate() error {
	switch {
	case p.MaxAttempts < 1:
		return fmt.Errorf("MaxAttempts must be 1 or more, got %d", p.MaxAttempts)
	case p.MaxAttempts > 20:
		return fmt.Errorf("MaxAttempts must be 20 or less, got %d", p.MaxAttempts)
	case p.BaseDelay < 0:
		return fmt.Errorf("BaseDelay must not be negative, got %s", p.BaseDelay)
	case p.MaxDelay < p.BaseDelay:
		return fmt.Errorf("MaxDelay (%s) must not be below BaseDelay (%s)", p.MaxDelay, p.BaseDelay)
	}
	return nil
}

// Option configures a Client. Options validate their input and NewClient returns the error.
type Option func(*config) error

type config struct {
	clientID, clientSecret string
	scopes                 []string
	authURL                string
	apiRoot                string // explicit or from a data center; "" = discover
	apiRootFrom            string // which option set apiRoot
	httpClient             *http.Client
	userAgent              string
	retry                  RetryPolicy
	logger                 *slog.Logger
	authStyle              AuthStyle
	pageSize               int
	tokenSkew              time.Duration

	// test hooks (unexported; set by the package's own tests)
	now   func() time.Time
	sleep func(ctx context.Context, d time.Duration) error
	rand  func(n int64) int64
}

func optErr(name, format string, args ...any) error {
	return fmt.Errorf("xink: %s: %s", name, fmt.Sprintf(format, args...))
}

// WithCredentials sets the API user's client id (e.g. "b6b5...@SRV") and secret. Required.
func WithCredentials(clientID, clientSecret string) Option {
	return func(c *config) error {
		if strings.TrimSpace(clientID) == "" {
			return optErr("WithCredentials", "client id must not be empty")
		}
		if strings.ContainsAny(clientID, ":\r\n") {
			return optErr("WithCredentials", "client id must not contain ':' or a line break")
		}
		if clientSecret == "" {
			return optErr("WithCredentials", "client secret must not be empty")
		}
		c.clientID, c.clientSecret = clientID, clientSecret
		return nil
	}
}

// WithScopes sets the scopes to request (see AllScopes). Without it the token request
// names no scope and the server grants the client's configured scopes.
func WithScopes(scopes ...string) Option {
	return func(c *config) error {
		if len(scopes) == 0 {
			return optErr("WithScopes", "no scope given")
		}
		known := AllScopes()
		var out []string
		for _, s := range scopes {
			if !slices.Contains(known, s) {
				return optErr("WithScopes", "unknown scope %q (known: %s)", s, strings.Join(known, ", "))
			}
			if !slices.Contains(out, s) {
				out = append(out, s)
			}
		}
		c.scopes = out
		return nil
	}
}

// WithAuthURL replaces the authorization server (default https://auth.xink.io), e.g. with a
// mock's URL. It must be https, or http on a loopback host.
func WithAuthURL(authURL string) Option {
	return func(c *config) error {
		u, err := checkBaseURL(authURL)
		if err != nil {
			return optErr("WithAuthURL", "%v", err)
		}
		c.authURL = u
		return nil
	}
}

// WithAPIRoot pins the API root (the host /api/1.0 lives under) and skips discovery. It must
// be https, or http on a loopback host; a path prefix is kept.
func WithAPIRoot(apiRoot string) Option {
	return func(c *config) error {
		u, err := checkBaseURL(apiRoot)
		if err != nil {
			return optErr("WithAPIRoot", "%v", err)
		}
		if c.apiRootFrom != "" && c.apiRootFrom != "WithAPIRoot" {
			return optErr("WithAPIRoot", "conflicts with %s", c.apiRootFrom)
		}
		c.apiRoot, c.apiRootFrom = u, "WithAPIRoot"
		return nil
	}
}

// WithDataCenter pins the API root to a data center's documented host (US, EU, UK, CA, AU)
// and skips discovery.
func WithDataCenter(dataCenter string) Option {
	return func(c *config) error {
		root, ok := DataCenterAPIRoot(dataCenter)
		if !ok {
			return optErr("WithDataCenter", "unknown data center %q (known: US, EU, UK, CA, AU)", dataCenter)
		}
		if c.apiRootFrom != "" && c.apiRootFrom != "WithDataCenter" {
			return optErr("WithDataCenter", "conflicts with %s", c.apiRootFrom)
		}
		c.apiRoot, c.apiRootFrom = root, "WithDataCenter"
		return nil
	}
}

// WithHTTPClient sets the HTTP client (transport, timeout, TLS). The client is copied and its
// redirect policy replaced: redirects are never followed, so a bearer token cannot be carried
// to another host and a redirected call cannot land on a different route.
func WithHTTPClient(hc *http.Client) Option {
	return func(c *config) error {
		if hc == nil {
			return optErr("WithHTTPClient", "nil *http.Client")
		}
		c.httpClient = hc
		return nil
	}
}

// WithUserAgent replaces the User-Agent header (default "xink-go").
func WithUserAgent(ua string) Option {
	return func(c *config) error {
		if strings.TrimSpace(ua) == "" || strings.ContainsAny(ua, "\r\n") {
			return optErr("WithUserAgent", "user agent must be non-empty and on one line")
		}
		c.userAgent = ua
		return nil
	}
}

// WithRetryPolicy replaces the retry policy (default DefaultRetryPolicy()).
func WithRetryPolicy(p RetryPolicy) Option {
	return func(c *config) error {
		if err := p.validate(); err != nil {
			return optErr("WithRetryPolicy", "%v", err)
		}
		c.retry = p
		return nil
	}
}

// WithLogger logs requests (Debug), retries and token fetches (Info) to l. Secrets, tokens
// and query strings are never logged. The default logs nothing.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return optErr("WithLogger", "nil *slog.Logger")
		}
		c.logger = l
		return nil
	}
}

// WithAuthStyle chooses how client credentials reach the token endpoint (default
// AuthStyleForm).
func WithAuthStyle(s AuthStyle) Option {
	return func(c *config) error {
		if s != AuthStyleForm && s != AuthStyleBasic {
			return optErr("WithAuthStyle", "unknown style %d", int(s))
		}
		c.authStyle = s
		return nil
	}
}

// WithPageSize sets how many employees Employees fetches per request (1 to 500; default 500).
func WithPageSize(n int) Option {
	return func(c *config) error {
		if n < 1 || n > DefaultPageSize {
			return optErr("WithPageSize", "page size must be 1 to %d, got %d", DefaultPageSize, n)
		}
		c.pageSize = n
		return nil
	}
}

// WithTokenRefreshSkew sets how long before its expiry a cached token is replaced (default
// 60s; never more than half the token's lifetime).
func WithTokenRefreshSkew(d time.Duration) Option {
	return func(c *config) error {
		if d < 0 || d > time.Hour {
			return optErr("WithTokenRefreshSkew", "skew must be 0 to 1h, got %s", d)
		}
		c.tokenSkew = d
		return nil
	}
}

// checkBaseURL validates and normalises a base URL: absolute, https (or http on a loopback
// host), no query, fragment or user info; the trailing slash is dropped, a path prefix kept.
func checkBaseURL(raw string) (string, error) {
	if strings.TrimSpace(raw) == "" {
		return "", errors.New("URL must not be empty")
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", fmt.Errorf("invalid URL %q: %v", raw, err)
	}
	if u.Host == "" || u.Opaque != "" {
		return "", fmt.Errorf("URL %q is not absolute", raw)
	}
	if u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", fmt.Errorf("URL %q must not carry user info, query or fragment", raw)
	}
	switch strings.ToLower(u.Scheme) {
	case "https":
	case "http":
		if !isLoopback(u.Hostname()) {
			return "", fmt.Errorf("URL %q must use https (plain http only on a loopback host)", raw)
		}
	default:
		return "", fmt.Errorf("URL %q must use https", raw)
	}
	u.Scheme = strings.ToLower(u.Scheme)
	u.Host = strings.ToLower(u.Host)
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
