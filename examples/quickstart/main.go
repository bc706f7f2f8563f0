// Command quickstart walks through the Xink API with the xink client: it gets a token,
// discovers the account's data center, walks every employee, shows one employee's field
// values and rendered signatures, uploads an image and deletes it again, and creates and
// deletes a signature template.
//
// Credentials and URLs come from flags or, when a flag is not given, environment variables:
//
//	-client-id     XINK_CLIENT_ID       the API user's client id (e.g. "...@SRV")
//	-client-secret XINK_CLIENT_SECRET   its secret
//	-auth-url      XINK_AUTH_URL        the authorization server (default https://auth.xink.io)
//	-api-root      XINK_API_ROOT        pin the API root and skip discovery (optional)
//	-data-center   XINK_DATA_CENTER     or pin a data center: US, EU, UK, CA, AU (optional)
//	-email         XINK_EMAIL           the employee to show (default: the first one listed)
//
// Against the mock (make demo does this for you):
//
//	go run ./mockserver/cmd/xinkmock --addr 127.0.0.1:8080 &
//	XINK_AUTH_URL=http://127.0.0.1:8080 \
//	XINK_CLIENT_ID='b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV' XINK_CLIENT_SECRET=xink-mock-secret \
//	go run ./examples/quickstart
package main

import (
	"bytes"
	"context"
	_ "embed"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/xink-go/xink-go/xink"
)

//go:embed xink-logo.png
var logoPNG []byte

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(2)
		}
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func env(name, def string) string {
	if v, ok := os.LookupEnv(name); ok && v != "" {
		return v
	}
	return def
}

func run(ctx context.Context, args []string, out io.Writer) error {
	fl := flag.NewFlagSet("quickstart", flag.ContinueOnError)
	clientID := fl.String("client-id", env("XINK_CLIENT_ID", ""), "client id (env XINK_CLIENT_ID)")
	clientSecret := fl.String("client-secret", env("XINK_CLIENT_SECRET", ""), "client secret (env XINK_CLIENT_SECRET)")
	authURL := fl.String("auth-url", env("XINK_AUTH_URL", xink.DefaultAuthURL), "authorization server (env XINK_AUTH_URL)")
	apiRoot := fl.String("api-root", env("XINK_API_ROOT", ""), "API root; skips discovery (env XINK_API_ROOT)")
	dataCenter := fl.String("data-center", env("XINK_DATA_CENTER", ""), "data center US, EU, UK, CA or AU; skips discovery (env XINK_DATA_CENTER)")
	email := fl.String("email", env("XINK_EMAIL", ""), "employee to show (env XINK_EMAIL; default: the first listed)")
	timeout := fl.Duration("timeout", 2*time.Minute, "give up after this long")
	verbose := fl.Bool("v", false, "log requests and retries to stderr")
	if err := fl.Parse(args); err != nil {
		return err
	}
	if *clientID == "" || *clientSecret == "" {
		return errors.New("no credentials: set -client-id and -client-secret (or XINK_CLIENT_ID and XINK_CLIENT_SECRET)")
	}
	ctx, cancel := context.WithTimeout(ctx, *timeout)
	defer cancel()

	opts := []xink.Option{
		xink.WithCredentials(*clientID, *clientSecret),
		xink.WithAuthURL(*authURL),
		xink.WithUserAgent("xink-go-quickstart"),
	}
	if *apiRoot != "" {
		opts = append(opts, xink.WithAPIRoot(*apiRoot))
	}
	if *dataCenter != "" {
		opts = append(opts, xink.WithDataCenter(*dataCenter))
	}
	if *verbose {
		opts = append(opts, xink.WithLogger(slog.New(slog.NewTextHandler(os.Stderr, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	}
	c, err := xink.NewClient(ctx, opts...)
	if err != nil {
		return err
	}
	p := func(format string, a ...any) { fmt.Fprintf(out, format+"\n", a...) }

	// 1. Token (the value is a secret: print only its lifetime).
	tok, err := c.GetToken(ctx)
	if err != nil {
		return fmt.Errorf("token: %w", err)
	}
	p("1. token: %s token, valid until %s", tok.TokenType, tok.Expiry.Format(time.RFC3339))

	// 2. Discovery.
	d, err := c.GetDiscovery(ctx)
	if err != nil {
		return fmt.Errorf("discovery: %w", err)
	}
	p("2. discovery: data center %s, API root %s, images %s", d.DataCenterID, d.APIRoot, d.ImgRoot)
	info, err := c.GetAccountInfo(ctx)
	if err != nil {
		return fmt.Errorf("account: %w", err)
	}
	p("   account: %s", orDash(info.Name.Get()))

	// 3. Walk every employee, page by page.
	n := 0
	var first string
	for e, err := range c.Employees(ctx) {
		if err != nil {
			return fmt.Errorf("employees: %w", err)
		}
		if n == 0 {
			first = e.Email
		}
		if n < 5 {
			p("   - %-32s %s", e.Email, orDash(e.DisplayName.Get()))
		}
		n++
	}
	p("3. employees: %d in all (first 5 shown above)", n)

	// 4. One employee's field values and rendered signatures.
	who := *email
	if who == "" {
		who = first
	}
	if who == "" {
		p("4. no employee to show")
	} else {
		fields, err := c.GetEmployeeFields(ctx, who)
		if err != nil {
			return fmt.Errorf("fields of %s: %w", who, err)
		}
		p("4. fields of %s:", who)
		for _, f := range fields {
			p("   %-12s %s", f.Name, orDash(f.Value.Get()))
		}
		sigs, err := c.GetEmployeeSignatures(ctx, who)
		if err != nil {
			return fmt.Errorf("signatures of %s: %w", who, err)
		}
		p("   %d rendered signature(s):", len(sigs))
		for _, s := range sigs {
			p("   - #%d %s (default new mail: %v, replies: %v): %s", s.SignatureId, orDash(s.Name.Get()),
				s.DefaultNew != nil && *s.DefaultNew, s.DefaultReply != nil && *s.DefaultReply, oneLine(orDash(s.PlainText.Get())))
		}
	}

	// 5. Upload an image (streamed, content type detected), then delete it again.
	img, err := c.UploadImage(ctx, "xink-logo.png", bytes.NewReader(logoPNG), xink.WithImageName("quickstart logo"))
	if err != nil {
		return fmt.Errorf("upload: %w", err)
	}
	p("5. uploaded image #%d (%s, %d bytes) at %s", img.Id, orDash(img.ContentType.Get()), deref(img.Size), orDash(img.Url.Get()))
	if err := c.DeleteImage(ctx, img.Id); err != nil {
		return fmt.Errorf("delete image: %w", err)
	}
	p("   deleted image #%d", img.Id)

	// 6. Create a signature template and delete it.
	name := fmt.Sprintf("quickstart %s", time.Now().UTC().Format("20060102T150405.000"))
	sig, err := c.CreateSignature(ctx, xink.SignatureRequest{
		Name:      name,
		Html:      "<p><b>((DisplayName))</b><br>((JobTitle))</p>",
		PlainText: xink.Value("((DisplayName))\n((JobTitle))"),
	})
	if err != nil {
		return fmt.Errorf("create signature: %w", err)
	}
	p("6. created signature template #%d %q", sig.Id, orDash(sig.Name.Get()))
	if err := c.DeleteSignature(ctx, sig.Id); err != nil {
		return fmt.Errorf("delete signature: %w", err)
	}
	p("   deleted signature template #%d", sig.Id)
	p("done.")
	return nil
}

func orDash(s string, err error) string {
	if err != nil || s == "" {
		return "-"
	}
	return s
}

func oneLine(s string) string { return strings.ReplaceAll(s, "\n", " / ") }

func deref[T any](p *T) T {
	var zero T
	if p != nil {
		return *p
	}
	return zero
}
