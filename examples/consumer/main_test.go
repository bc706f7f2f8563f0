package main

import (
	"strings"
	"testing"
)

func env(m map[string]string) func(string) string { return func(k string) string { return m[k] } }

func TestParseConfig(t *testing.T) {
	creds := map[string]string{"XINK_CLIENT_ID": "id@SRV", "XINK_CLIENT_SECRET": "s"}
	c, err := parseConfig(nil, env(creds))
	if err != nil {
		t.Fatal(err)
	}
	if c.authURL != "https://auth.xink.io" || c.clientID != "id@SRV" || c.scope != "employeeread" {
		t.Errorf("defaults: %+v", c)
	}
	c, err = parseConfig([]string{"-auth-url", "http://127.0.0.1:9/", "-client-id", "flag-id"}, env(creds))
	if err != nil {
		t.Fatal(err)
	}
	if c.authURL != "http://127.0.0.1:9" || c.clientID != "flag-id" {
		t.Errorf("flags must override env and trim the slash: %+v", c)
	}

	bad := []struct {
		args []string
		env  map[string]string
		want string
	}{
		{nil, nil, "client credentials missing"},
		{nil, map[string]string{"XINK_CLIENT_ID": "x"}, "client credentials missing"},
		{[]string{"-auth-url", "127.0.0.1:8080"}, creds, "-auth-url"},
		{[]string{"-auth-url", "ftp://h"}, creds, "-auth-url"},
		{[]string{"-timeout", "0s"}, creds, "-timeout"},
		{[]string{"extra"}, creds, "unexpected argument"},
		{[]string{"-no-such-flag"}, creds, "no-such-flag"},
	}
	for _, b := range bad {
		_, err := parseConfig(b.args, env(b.env))
		if err == nil || !strings.Contains(err.Error(), b.want) {
			t.Errorf("parseConfig(%q, %v) = %v, want an error containing %q", b.args, b.env, err, b.want)
		}
	}
}

func TestSecretNeverInErrors(t *testing.T) {
	_, err := parseConfig([]string{"-auth-url", "nope", "-client-secret", "TOPSECRET"}, env(map[string]string{"XINK_CLIENT_ID": "x"}))
	if err == nil || strings.Contains(err.Error(), "TOPSECRET") {
		t.Errorf("err = %v", err)
	}
}
