package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/mockserver/mocktest"
	"github.com/xink-go/xink-go/xink"
)

func TestQuickstartAgainstMock(t *testing.T) {
	m := mocktest.Start(t)
	t.Setenv("XINK_CLIENT_ID", m.ClientID)
	t.Setenv("XINK_CLIENT_SECRET", m.ClientSecret)
	c, err := xink.NewClient(context.Background(), xink.WithCredentials(m.ClientID, m.ClientSecret), xink.WithAuthURL(m.URL))
	if err != nil {
		t.Fatal(err)
	}
	counts := func() (int, int) {
		imgs, err := c.ListImages(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		sigs, err := c.ListSignatures(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		return len(imgs), len(sigs)
	}
	imgsBefore, sigsBefore := counts()
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-auth-url", m.URL, "-email", "hanako.tanaka@example.com"}, &out); err != nil {
		t.Fatalf("run: %v\n%s", err, out.String())
	}
	for _, want := range []string{
		"1. token: bearer token", "2. discovery: data center EU, API root " + m.APIRoot,
		"3. employees: 25 in all", "4. fields of hanako.tanaka@example.com:",
		"5. uploaded image #", "deleted image #", "6. created signature template #", "deleted signature template #", "done.",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), m.ClientSecret) {
		t.Error("the output shows the client secret")
	}
	// Nothing is left behind: the uploaded image and the template are gone again.
	if imgs, sigs := counts(); imgs != imgsBefore || sigs != sigsBefore {
		t.Errorf("after the run: %d images, %d templates; before: %d, %d", imgs, sigs, imgsBefore, sigsBefore)
	}
	for _, e := range m.Server.Journal() {
		if e.Status >= 400 {
			t.Errorf("the mock answered %d to %s %s", e.Status, e.Method, e.Path)
		}
	}
}

func TestQuickstartNeedsCredentials(t *testing.T) {
	t.Setenv("XINK_CLIENT_ID", "")
	t.Setenv("XINK_CLIENT_SECRET", "")
	err := run(context.Background(), nil, &bytes.Buffer{})
	if err == nil || !strings.Contains(err.Error(), "XINK_CLIENT_ID") {
		t.Fatalf("err = %v", err)
	}
}
