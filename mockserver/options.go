package mockserver

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strings"
	"time"
)

// The default demo client. It belongs to the seed's first account, holds all seven scopes and
// lives in the EU data center. The binary prints these credentials at start.
const (
	DemoClientID     = "b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV"
	DemoClientSecret = "xink-mock-secret"
)

// DefaultTokenTTL is the lifetime of issued tokens unless WithTokenTTL says otherwise.
const DefaultTokenTTL = 7200 * time.Second

// DefaultMaxUploadBytes is the largest image upload accepted unless WithMaxUploadBytes says otherwise.
const DefaultMaxUploadBytes int64 = 5 << 20

// allScopes lists every scope Xink documents, in the spec's order.
var allScopes = []string{
	"employeeread",
	"employeefieldsread",
	"employeectrl",
	"employeesignaturesread",
	"signaturectrl",
	"managedaccountsread",
	"managedaccountsctrl",
}

// dataCenters lists Xink's data centers.
var dataCenters = []string{"US", "EU", "UK", "CA", "AU"}

// AllScopes returns every scope Xink documents, in the spec's order (a fresh copy).
func AllScopes() []string { return slices.Clone(allScopes) }

// DataCenters returns Xink's data centers: US, EU, UK, CA, AU (a fresh copy).
func DataCenters() []string { return slices.Clone(dataCenters) }

// Client is an API client (an "API user") the mock accepts at its token endpoint.
type Client struct {
	// ID is the client id, e.g. "b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV".
	ID string `json:"ID"`
	// Secret is the client secret.
	Secret string `json:"Secret"`
	// Scopes are the scopes the client may ask for; empty means all seven.
	Scopes []string `json:"Scopes,omitempty"`
	// DataCenter is US, EU, UK, CA or AU; empty means EU.
	DataCenter string `json:"DataCenter,omitempty"`
	// AccountID names the seed account the client belongs to; empty means the seed's first account.
	AccountID string `json:"AccountID,omitempty"`
}

// Validate reports what is wrong with the client, naming the field (empty ID or secret, an
// unknown scope or data center, a ':' in the ID).
func (c Client) Validate() error {
	c.Scopes = slices.Clone(c.Scopes)
	return c.normalize()
}

func (c *Client) normalize() error {
	if strings.TrimSpace(c.ID) == "" {
		return errors.New("client: ID is empty")
	}
	if strings.ContainsAny(c.ID, ":") {
		return fmt.Errorf("client %q: ID must not contain ':' (HTTP Basic cannot carry it)", c.ID)
	}
	if c.Secret == "" {
		return fmt.Errorf("client %q: Secret is empty", c.ID)
	}
	if len(c.Scopes) == 0 {
		c.Scopes = slices.Clone(allScopes)
	}
	for _, sc := range c.Scopes {
		if !slices.Contains(allScopes, sc) {
			return fmt.Errorf("client %q: unknown scope %q (known: %s)", c.ID, sc, strings.Join(allScopes, ", "))
		}
	}
	if c.DataCenter == "" {
		c.DataCenter = "EU"
	}
	c.DataCenter = strings.ToUpper(c.DataCenter)
	if !slices.Contains(dataCenters, c.DataCenter) {
		return fmt.Errorf("client %q: unknown data center %q (known: %s)", c.ID, c.DataCenter, strings.Join(dataCenters, ", "))
	}
	return nil
}

// Option configures a Server. Each option validates its argument and returns an error.
type Option func(*config) error

type config struct {
	clients        []Client
	tokenTTL       time.Duration
	seed           *Seed
	now            func() time.Time
	logger         *slog.Logger
	strict         bool
	baseURL        string
	maxUploadBytes int64
	state          *State
	dcRoots        bool
}

// WithClient adds a client the token endpoint accepts. Repeatable; a client with the same ID
// as an earlier one (including the demo client) replaces it.
func WithClient(c Client) Option {
	return func(cfg *config) error {
		c.Scopes = slices.Clone(c.Scopes)
		if err := c.normalize(); err != nil {
			return err
		}
		cfg.clients = slices.DeleteFunc(cfg.clients, func(o Client) bool { return o.ID == c.ID })
		cfg.clients = append(cfg.clients, c)
		return nil
	}
}

// WithTokenTTL sets the lifetime of issued tokens (default 7200 s). It must be at least one second.
func WithTokenTTL(d time.Duration) Option {
	return func(cfg *config) error {
		if d < time.Second {
			return fmt.Errorf("token TTL %v is shorter than one second", d)
		}
		cfg.tokenTTL = d
		return nil
	}
}

// WithSeed replaces the embedded default data set. The seed is validated and deep-copied.
func WithSeed(seed *Seed) Option {
	return func(cfg *config) error {
		if seed == nil {
			return errors.New("seed is nil")
		}
		cp, err := seed.clone()
		if err != nil {
			return err
		}
		if err := cp.validate(); err != nil {
			return err
		}
		cfg.seed = cp
		return nil
	}
}

// WithClock sets the function the mock reads the time from (token expiry, Modified dates).
// Advance moves the mock's clock forward on top of it.
func WithClock(now func() time.Time) Option {
	return func(cfg *config) error {
		if now == nil {
			return errors.New("clock is nil")
		}
		cfg.now = now
		return nil
	}
}

// WithLogger sets the logger; the mock writes one line per request and never logs secrets or tokens.
func WithLogger(l *slog.Logger) Option {
	return func(cfg *config) error {
		if l == nil {
			return errors.New("logger is nil")
		}
		cfg.logger = l
		return nil
	}
}

// WithStrictResponses turns on validation of every response against the spec. A response
// that does not match is replaced by a 500 envelope, logged at error level and recorded
// (see Server.StrictViolations).
func WithStrictResponses(on bool) Option {
	return func(cfg *config) error {
		cfg.strict = on
		return nil
	}
}

// WithBaseURL sets the externally visible base URL (scheme, host and port, no path), used in
// Discovery and in image URLs. Without it the mock derives the base URL from each request's Host.
func WithBaseURL(u string) Option {
	return func(cfg *config) error {
		p, err := url.Parse(u)
		if err != nil {
			return fmt.Errorf("base URL %q: %w", u, err)
		}
		if p.Scheme != "http" && p.Scheme != "https" {
			return fmt.Errorf("base URL %q: scheme must be http or https", u)
		}
		if p.Host == "" {
			return fmt.Errorf("base URL %q: no host", u)
		}
		if p.Path != "" && p.Path != "/" || p.RawQuery != "" || p.Fragment != "" {
			return fmt.Errorf("base URL %q: must not have a path, query or fragment", u)
		}
		cfg.baseURL = p.Scheme + "://" + p.Host
		return nil
	}
}

// WithMaxUploadBytes sets the largest image upload accepted (default 5 MiB); larger uploads get 413.
func WithMaxUploadBytes(n int64) Option {
	return func(cfg *config) error {
		if n < 1 {
			return fmt.Errorf("max upload bytes %d must be positive", n)
		}
		cfg.maxUploadBytes = n
		return nil
	}
}

// The partner client of the embedded seed: it belongs to the partner account that holds two
// managed accounts, may use the two managed-accounts scopes and lives in the UK data center.
const (
	PartnerClientID     = "0f4e2d8a-6b3c-4e1f-9a7d-2c5b8e1f3a04@SRV"
	PartnerClientSecret = "xink-mock-partner-secret"
)

// WithDataCenterRoots gives each data center its own APIRoot, base URL + "/dc/<dc>" (for
// example http://127.0.0.1:8080/dc/eu), as Xink has a host per data center. The /api/1.0
// routes are then served only under an APIRoot, and a token used under another data
// center's root gets 401: a client must use the APIRoot that Discovery returns. Off by
// default (APIRoot is the base URL).
func WithDataCenterRoots(on bool) Option {
	return func(cfg *config) error {
		cfg.dcRoots = on
		return nil
	}
}
