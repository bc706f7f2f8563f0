// Command xink-consumer is what a Go program outside xink-go looks like: it
// generates its own Xink client from the published spec with oapi-codegen
// (see xinkclient/generate.go), gets a token with client credentials,
// discovers the account's data center and lists its employees.
//
// It depends only on what the generated code needs (oapi-codegen/runtime and
// oapi-codegen/nullable); the generator itself is pinned in go.mod as a tool.
//
// Usage:
//
//	XINK_CLIENT_ID=... XINK_CLIENT_SECRET=... go run . -auth-url http://127.0.0.1:8080
//
// Flags override the environment: -auth-url (XINK_AUTH_URL, default
// https://auth.xink.io), -client-id (XINK_CLIENT_ID), -client-secret
// (XINK_CLIENT_SECRET), -scope, -timeout. The secret and the token are never
// printed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"time"

	"example.com/xink-consumer/xinkclient"
)

func main() {
	if err := run(context.Background(), os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "xink-consumer:", err)
		os.Exit(1)
	}
}

// config is what the flags and the environment say.
type config struct {
	authURL, clientID, clientSecret, scope string
	timeout                                time.Duration
}

func parseConfig(args []string, getenv func(string) string) (config, error) {
	c := config{authURL: getenv("XINK_AUTH_URL"), clientID: getenv("XINK_CLIENT_ID"), clientSecret: getenv("XINK_CLIENT_SECRET")}
	if c.authURL == "" {
		c.authURL = "https://auth.xink.io"
	}
	fs := flag.NewFlagSet("xink-consumer", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	fs.StringVar(&c.authURL, "auth-url", c.authURL, "Xink authorization server (token + discovery); env XINK_AUTH_URL")
	fs.StringVar(&c.clientID, "client-id", c.clientID, "API client id; env XINK_CLIENT_ID")
	fs.StringVar(&c.clientSecret, "client-secret", c.clientSecret, "API client secret; env XINK_CLIENT_SECRET")
	fs.StringVar(&c.scope, "scope", "employeeread", "space-separated scopes to ask for")
	fs.DurationVar(&c.timeout, "timeout", 30*time.Second, "overall time limit")
	if err := fs.Parse(args); err != nil {
		return c, err
	}
	if fs.NArg() > 0 {
		return c, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	}
	u, err := url.Parse(c.authURL)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return c, fmt.Errorf("-auth-url %q: want an absolute http(s) URL", c.authURL)
	}
	c.authURL = strings.TrimRight(c.authURL, "/")
	if c.clientID == "" || c.clientSecret == "" {
		return c, errors.New("client credentials missing: set -client-id and -client-secret (or XINK_CLIENT_ID and XINK_CLIENT_SECRET)")
	}
	if c.timeout <= 0 {
		return c, fmt.Errorf("-timeout %s: must be positive", c.timeout)
	}
	return c, nil
}

func run(ctx context.Context, args []string, getenv func(string) string, out io.Writer) error {
	cfg, err := parseConfig(args, getenv)
	if err != nil {
		return err
	}
	ctx, cancel := context.WithTimeout(ctx, cfg.timeout)
	defer cancel()
	hc := &http.Client{Timeout: cfg.timeout}

	// 1. Token and discovery live on the authorization server.
	auth, err := xinkclient.NewClientWithResponses(cfg.authURL, xinkclient.WithHTTPClient(hc))
	if err != nil {
		return err
	}
	tok, err := auth.GetTokenWithFormdataBodyWithResponse(ctx, xinkclient.GetTokenFormdataRequestBody{
		GrantType:    xinkclient.ClientCredentials,
		ClientId:     &cfg.clientID,
		ClientSecret: &cfg.clientSecret,
		Scope:        &cfg.scope,
	})
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	if tok.JSON200 == nil {
		return fmt.Errorf("token: HTTP %d: %s", tok.StatusCode(), oauthError(tok))
	}
	bearer := func(_ context.Context, r *http.Request) error {
		r.Header.Set("Authorization", "Bearer "+tok.JSON200.AccessToken)
		return nil
	}

	disc, err := auth.GetDiscoveryWithResponse(ctx, bearer)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	if disc.JSON200 == nil || disc.JSON200.APIRoot == nil || *disc.JSON200.APIRoot == "" {
		return fmt.Errorf("discovery: HTTP %d without an APIRoot", disc.StatusCode())
	}
	apiRoot, dc := *disc.JSON200.APIRoot, ""
	if disc.JSON200.DataCenterID != nil {
		dc = *disc.JSON200.DataCenterID
	}
	fmt.Fprintf(out, "data center %s, APIRoot %s\n", dc, apiRoot)

	// 2. Everything under /api/1.0 lives on the account's APIRoot.
	api, err := xinkclient.NewClientWithResponses(apiRoot, xinkclient.WithHTTPClient(hc))
	if err != nil {
		return err
	}
	list, err := api.ListEmployeesWithResponse(ctx, bearer)
	if err != nil {
		return fmt.Errorf("list employees: %w", err)
	}
	if list.JSON200 == nil || !list.JSON200.Success {
		return fmt.Errorf("list employees: HTTP %d: %s", list.StatusCode(), strings.TrimSpace(string(list.Body)))
	}
	employees, _ := list.JSON200.Employees.Get() // absent or null: no employees
	total := len(employees)
	if list.JSON200.Total != nil {
		total = int(*list.JSON200.Total)
	}
	fmt.Fprintf(out, "%d employees (%d on this page)\n", total, len(employees))
	for _, e := range employees {
		name, _ := e.DisplayName.Get()
		fmt.Fprintf(out, "  %-40s %s\n", e.Email, name)
	}
	return nil
}

// oauthError renders an RFC 6749 error reply, or the raw body.
func oauthError(r *xinkclient.GetTokenResponse) string {
	e := r.JSON400
	if e == nil {
		e = r.JSON401
	}
	if e == nil {
		return strings.TrimSpace(string(r.Body))
	}
	if d, err := e.ErrorDescription.Get(); err == nil {
		return e.Error + ": " + d
	}
	return e.Error
}
