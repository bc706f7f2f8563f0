package xink

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math/rand/v2"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"

	"github.com/xink-go/xink-go/generated/xinkapi"
)

// Client is a Xink API client. It fetches and caches the bearer token, discovers the account's
// API root on first use, retries what may be retried, and maps failures to *Error. A Client is
// safe for concurrent use by many goroutines; create one and share it.
type Client struct {
	cfg      config
	hc       *http.Client
	tokens   *tokenCache
	tokenAPI *xinkapi.Client // auth host, no bearer, token requests (retried even though POST)
	authAPI  *xinkapi.Client // auth host, with bearer (discovery)

	authOrigin string

	rootMu     sync.Mutex
	api        *xinkapi.Client // API root, with bearer; nil until resolved
	apiOrigin  string
	discovery  *Discovery
	discFlight flight[*Discovery]
}

// NewClient returns a Client configured by opts. WithCredentials is required. Nothing is sent
// until the first call: the token is fetched and (unless WithAPIRoot or WithDataCenter pins
// it) the API root discovered then. ctx is not kept.
func NewClient(ctx context.Context, opts ...Option) (*Client, error) {
	if ctx == nil {
		return nil, errors.New("xink: NewClient: nil context")
	}
	cfg := config{
		authURL:   DefaultAuthURL,
		userAgent: DefaultUserAgent,
		retry:     DefaultRetryPolicy(),
		logger:    slog.New(slog.DiscardHandler),
		authStyle: AuthStyleForm,
		pageSize:  DefaultPageSize,
		tokenSkew: time.Minute,
		now:       time.Now,
		sleep:     sleepContext,
		rand:      rand.Int64N,
	}
	for _, o := range opts {
		if o == nil {
			return nil, errors.New("xink: NewClient: nil Option")
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	if cfg.clientID == "" {
		return nil, errors.New("xink: NewClient: no credentials: use WithCredentials(clientID, clientSecret)")
	}
	c := &Client{cfg: cfg}
	if cfg.httpClient != nil {
		hc := *cfg.httpClient // copy: the caller's client keeps its own redirect policy
		c.hc = &hc
	} else {
		c.hc = &http.Client{Timeout: 2 * time.Minute}
	}
	c.hc.CheckRedirect = noRedirect
	c.tokens = &tokenCache{c: c}
	u, _ := url.Parse(cfg.authURL)
	c.authOrigin = origin(u)
	var err error
	if c.tokenAPI, err = xinkapi.NewClient(cfg.authURL, xinkapi.WithHTTPClient(&doer{c: c, retryAnyMethod: true})); err != nil {
		return nil, fmt.Errorf("xink: NewClient: %w", err)
	}
	if c.authAPI, err = xinkapi.NewClient(cfg.authURL, xinkapi.WithHTTPClient(&doer{c: c, bearer: true})); err != nil {
		return nil, fmt.Errorf("xink: NewClient: %w", err)
	}
	if cfg.apiRoot != "" {
		if err := c.setAPIRoot(cfg.apiRoot); err != nil {
			return nil, err
		}
	}
	return c, nil
}

// origin is scheme://host[:port] in lower case, with the default port made explicit.
func origin(u *url.URL) string {
	host := strings.ToLower(u.Hostname())
	port := u.Port()
	scheme := strings.ToLower(u.Scheme)
	if port == "" {
		switch scheme {
		case "https":
			port = "443"
		case "http":
			port = "80"
		}
	}
	return scheme + "://" + host + ":" + port
}

// allowedOrigin reports whether the bearer token may be sent to u: only the auth host and the
// (configured or discovered) API host qualify.
func (c *Client) allowedOrigin(u *url.URL) bool {
	o := origin(u)
	if o == c.authOrigin {
		return true
	}
	c.rootMu.Lock()
	defer c.rootMu.Unlock()
	return c.apiOrigin != "" && o == c.apiOrigin
}

func (c *Client) setAPIRoot(root string) error {
	u, err := url.Parse(root)
	if err != nil {
		return err
	}
	api, err := xinkapi.NewClient(root, xinkapi.WithHTTPClient(&doer{c: c, bearer: true}))
	if err != nil {
		return fmt.Errorf("xink: API root %q: %w", root, err)
	}
	c.rootMu.Lock()
	c.api, c.apiOrigin = api, origin(u)
	c.rootMu.Unlock()
	return nil
}

// apiClient returns the generated client for the API root, discovering the root on first use.
func (c *Client) apiClient(ctx context.Context) (*xinkapi.Client, error) {
	c.rootMu.Lock()
	api := c.api
	c.rootMu.Unlock()
	if api != nil {
		return api, nil
	}
	d, err := c.GetDiscovery(ctx)
	if err != nil {
		return nil, err
	}
	root, err := checkBaseURL(d.APIRoot)
	if err != nil {
		return nil, wrapOp("getDiscovery", fmt.Errorf("unusable APIRoot: %w", err))
	}
	c.rootMu.Lock()
	defer c.rootMu.Unlock()
	if c.api == nil {
		u, _ := url.Parse(root)
		api, err := xinkapi.NewClient(root, xinkapi.WithHTTPClient(&doer{c: c, bearer: true}))
		if err != nil {
			return nil, fmt.Errorf("xink: API root %q: %w", root, err)
		}
		c.api, c.apiOrigin = api, origin(u)
		c.cfg.logger.LogAttrs(ctx, slog.LevelInfo, "xink: discovered API root",
			slog.String("data_center", d.DataCenterID), slog.String("api_root", root))
	}
	return c.api, nil
}

// Discovery is the account's data center and base URLs, as Xink's discovery returns them.
type Discovery struct {
	// DataCenterID is US, EU, UK, CA or AU.
	DataCenterID string
	// APIRoot is the base URL of the /api/1.0 routes.
	APIRoot string
	// SyncRoot, ImgRoot and TrackingRoot are the account's other service hosts; images are
	// served from ImgRoot.
	SyncRoot, ImgRoot, TrackingRoot string
}

// GetDiscovery returns the account's data center and base URLs (operation getDiscovery,
// GET /Discovery on the auth host). The answer is fetched once and cached; concurrent
// callers share one request.
func (c *Client) GetDiscovery(ctx context.Context) (*Discovery, error) {
	c.rootMu.Lock()
	d := c.discovery
	c.rootMu.Unlock()
	if d != nil {
		return d, nil
	}
	return c.discFlight.do(ctx, func(ctx context.Context) (*Discovery, error) {
		c.rootMu.Lock()
		d := c.discovery
		c.rootMu.Unlock()
		if d != nil {
			return d, nil
		}
		res, err := call[xinkapi.DiscoveryResult](ctx, c, "getDiscovery", func(ctx context.Context) (*http.Response, error) {
			return c.authAPI.GetDiscovery(ctx, acceptJSON)
		})
		if err != nil {
			return nil, err
		}
		d = &Discovery{DataCenterID: deref(res.DataCenterID), APIRoot: deref(res.APIRoot),
			SyncRoot: deref(res.SyncRoot), ImgRoot: deref(res.ImgRoot), TrackingRoot: deref(res.TrackingRoot)}
		if d.APIRoot == "" {
			return nil, wrapOp("getDiscovery", errors.New("the response has no APIRoot"))
		}
		c.rootMu.Lock()
		c.discovery = d
		c.rootMu.Unlock()
		return d, nil
	})
}

// GetToken returns the current bearer token, fetching one if none is cached or the cached
// one is about to expire (operation getToken, POST /OAuth/Token on the auth host).
func (c *Client) GetToken(ctx context.Context) (*oauth2.Token, error) {
	return c.tokens.token(ctx)
}

// TokenSource returns an oauth2.TokenSource backed by this client's token cache, for use with
// other libraries. ctx is used for every fetch it makes.
func (c *Client) TokenSource(ctx context.Context) oauth2.TokenSource {
	return tokenSourceFunc(func() (*oauth2.Token, error) { return c.tokens.token(ctx) })
}

type tokenSourceFunc func() (*oauth2.Token, error)

func (f tokenSourceFunc) Token() (*oauth2.Token, error) { return f() }

func acceptJSON(_ context.Context, r *http.Request) error {
	r.Header.Set("Accept", "application/json")
	return nil
}

func deref[T any](p *T) T {
	var zero T
	if p == nil {
		return zero
	}
	return *p
}

// call sends one request through send, and decodes a 2xx JSON answer into T. A non-2xx
// status, or a 2xx envelope with Success false, becomes an *Error.
func call[T any](ctx context.Context, c *Client, op string, send func(context.Context) (*http.Response, error)) (*T, error) {
	if ctx == nil {
		return nil, &ArgumentError{Operation: op, Field: "ctx", Reason: "must not be nil"}
	}
	resp, err := send(ctx)
	if err != nil {
		return nil, wrapOp(op, err)
	}
	body, err := readBody(resp)
	if errors.Is(err, ErrResponseTooLarge) {
		return nil, wrapOp(op, err)
	}
	if err != nil {
		return nil, wrapOp(op, fmt.Errorf("reading response: %w", err))
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return nil, newError(op, resp, body)
	}
	if mt, _, _ := mime.ParseMediaType(resp.Header.Get("Content-Type")); mt != "application/json" && !strings.HasSuffix(mt, "+json") {
		e := newError(op, resp, body)
		e.Message = fmt.Sprintf("unexpected Content-Type %q", resp.Header.Get("Content-Type"))
		return nil, e
	}
	var env struct {
		Success *bool   `json:"Success"`
		Error   *string `json:"Error"`
	}
	if err := json.Unmarshal(body, &env); err != nil {
		return nil, wrapOp(op, fmt.Errorf("decoding response: %w", err))
	}
	if env.Success != nil && !*env.Success {
		e := newError(op, resp, body)
		if e.Message == "" {
			e.Message = "Success is false"
		}
		return nil, e
	}
	out := new(T)
	if err := json.Unmarshal(body, out); err != nil {
		return nil, wrapOp(op, fmt.Errorf("decoding response: %w", err))
	}
	return out, nil
}

// OpenImage fetches an image's bytes from its URL (Image.Url, normally on ImgRoot) and returns
// the body and its Content-Type; close the body when done. The URL must be https (or http on
// a loopback host). The bearer token is attached only if the URL is on the auth or API host,
// never to another host; redirects are not followed. GET is retried like any other read.
func (c *Client) OpenImage(ctx context.Context, imageURL string) (io.ReadCloser, string, error) {
	const op = "openImage"
	if ctx == nil {
		return nil, "", &ArgumentError{Operation: op, Field: "ctx", Reason: "must not be nil"}
	}
	if u, err := url.Parse(imageURL); err != nil || u.Host == "" ||
		!(u.Scheme == "https" || u.Scheme == "http" && isLoopback(u.Hostname())) {
		return nil, "", &ArgumentError{Operation: op, Field: "imageURL", Reason: fmt.Sprintf("%q is not an absolute https URL", imageURL)}
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, imageURL, nil)
	if err != nil {
		return nil, "", &ArgumentError{Operation: op, Field: "imageURL", Reason: err.Error()}
	}
	resp, err := (&doer{c: c, bearer: true}).Do(req)
	if err != nil {
		return nil, "", wrapOp(op, err)
	}
	if resp.StatusCode != http.StatusOK {
		body, _ := readBody(resp)
		return nil, "", newError(op, resp, body)
	}
	return resp.Body, resp.Header.Get("Content-Type"), nil
}
