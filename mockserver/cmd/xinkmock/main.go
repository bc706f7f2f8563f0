// Command xinkmock is a stateful mock of the Xink REST API: real OAuth2 client-credentials
// tokens and scopes, per-client data centers, data that changes when you write it, request
// validation against the spec, fault injection and a test-control API under /_mock/.
//
// Usage:
//
//	xinkmock [--addr 127.0.0.1:8080] [--client ID:SECRET[:SCOPES[:DC]]]... [--token-ttl 2h]
//	         [--seed FILE] [--state FILE] [--state-interval 1s] [--log-level info] [--strict]
//	         [--base-url URL] [--read-header-timeout 10s] [--read-timeout 1m] [--write-timeout 1m]
//	         [--idle-timeout 2m]
//
// It prints the demo client's credentials and its URLs at start, logs one line per request
// (never a token or a secret), and on SIGINT/SIGTERM lets in-flight requests finish, then
// saves the state file atomically if --state is set. With --state it also saves the file
// (temp file, fsync, rename) every --state-interval while requests change it, so a crash or
// SIGKILL loses at most that much.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/xink-go/xink-go/mockserver"
)

func main() {
	tuneGC()
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr, nil); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "xinkmock:", err)
		os.Exit(1)
	}
}

// clientFlags collects repeated --client values.
type clientFlags []mockserver.Client

func (c *clientFlags) String() string { return fmt.Sprint(len(*c), " clients") }

// Set parses ID:SECRET[:SCOPES[:DC]]; SCOPES is comma-separated (empty = all seven) and DC is
// US, EU, UK, CA or AU (default EU). Neither ID nor SECRET may contain ':'.
func (c *clientFlags) Set(v string) error {
	parts := strings.Split(v, ":")
	if len(parts) < 2 || len(parts) > 4 {
		return errors.New("want ID:SECRET[:scope,scope...[:DC]]")
	}
	cl := mockserver.Client{ID: parts[0], Secret: parts[1]}
	if len(parts) > 2 && parts[2] != "" {
		for _, s := range strings.Split(parts[2], ",") {
			if s = strings.TrimSpace(s); s != "" {
				cl.Scopes = append(cl.Scopes, s)
			}
		}
	}
	if len(parts) > 3 {
		cl.DataCenter = parts[3]
	}
	// Validate now, so a bad flag names itself.
	if err := cl.Validate(); err != nil {
		return err
	}
	*c = append(*c, cl)
	return nil
}

// run is the whole program; ready, if set, gets the URL it listens on once it serves.
func run(ctx context.Context, args []string, stdout, stderr io.Writer, ready func(listenURL string)) error {
	fl := flag.NewFlagSet("xinkmock", flag.ContinueOnError)
	fl.SetOutput(stderr)
	addr := fl.String("addr", "127.0.0.1:8080", "listen address (port 0 picks a free port and prints it)")
	var clients clientFlags
	fl.Var(&clients, "client", "add a client `ID:SECRET[:scope,scope...[:DC]]` (repeatable; scopes default to all, DC to EU)")
	ttl := fl.Duration("token-ttl", mockserver.DefaultTokenTTL, "lifetime of issued tokens")
	seedFile := fl.String("seed", "", "JSON seed `file` replacing the embedded data set")
	stateFile := fl.String("state", "", "state `file`: loaded at start if it exists, saved atomically on shutdown")
	level := fl.String("log-level", "info", "log level: debug, info, warn or error")
	strict := fl.Bool("strict", false, "validate every response against the spec (a mismatch becomes a 500 and an error log line)")
	baseURL := fl.String("base-url", "", "externally visible base URL for Discovery and image URLs (default: from each request's Host)")
	dcRoots := fl.Bool("dc-roots", false, "give each data center its own APIRoot (<base>/dc/eu ...) and refuse tokens of other data centers there")
	maxUpload := fl.Int64("max-upload-bytes", mockserver.DefaultMaxUploadBytes, "largest image upload accepted")
	stateEvery := fl.Duration("state-interval", time.Second, "with --state: save the file this often while requests change the data (0: only on shutdown)")
	readHeaderTimeout := fl.Duration("read-header-timeout", 10*time.Second, "close a connection whose request headers take longer than this")
	readTimeout := fl.Duration("read-timeout", time.Minute, "close a connection whose whole request (body included) takes longer than this")
	writeTimeout := fl.Duration("write-timeout", time.Minute, "give up on a response that takes longer than this to write")
	idleTimeout := fl.Duration("idle-timeout", 2*time.Minute, "close a keep-alive connection idle for longer than this")
	if err := fl.Parse(args); err != nil {
		return err
	}
	for name, d := range map[string]time.Duration{"read-header-timeout": *readHeaderTimeout, "read-timeout": *readTimeout, "write-timeout": *writeTimeout, "idle-timeout": *idleTimeout} {
		if d <= 0 {
			return fmt.Errorf("--%s %v: must be positive", name, d)
		}
	}
	if *stateEvery < 0 {
		return fmt.Errorf("--state-interval %v: must not be negative", *stateEvery)
	}
	if fl.NArg() > 0 {
		return fmt.Errorf("unexpected arguments: %q", fl.Args())
	}
	var lvl slog.Level
	if err := lvl.UnmarshalText([]byte(*level)); err != nil {
		return fmt.Errorf("--log-level %q: want debug, info, warn or error", *level)
	}
	logger := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: lvl}))

	opts := []mockserver.Option{
		mockserver.WithLogger(logger),
		mockserver.WithTokenTTL(*ttl),
		mockserver.WithStrictResponses(*strict),
		mockserver.WithMaxUploadBytes(*maxUpload),
		mockserver.WithDataCenterRoots(*dcRoots),
	}
	for _, c := range clients {
		opts = append(opts, mockserver.WithClient(c))
	}
	if *baseURL != "" {
		opts = append(opts, mockserver.WithBaseURL(*baseURL))
	}
	if *seedFile != "" {
		b, err := os.ReadFile(*seedFile)
		if err != nil {
			return fmt.Errorf("--seed: %w", err)
		}
		seed, err := mockserver.ParseSeed(b)
		if err != nil {
			return fmt.Errorf("--seed %s: %w", *seedFile, err)
		}
		opts = append(opts, mockserver.WithSeed(seed))
	}
	loaded := false
	if *stateFile != "" {
		removeStaleTemps(*stateFile, logger)
		st, err := mockserver.ReadStateFile(*stateFile)
		switch {
		case errors.Is(err, fs.ErrNotExist):
		case err != nil:
			return fmt.Errorf("--state: %w", err)
		default:
			opts = append(opts, mockserver.WithState(st))
			loaded = true
		}
	}
	srv, err := mockserver.New(opts...)
	if err != nil {
		return err
	}

	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return fmt.Errorf("--addr: %w", err)
	}
	listenURL := "http://" + ln.Addr().String()
	base := listenURL
	if *baseURL != "" {
		base = *baseURL
	}
	printBanner(stdout, listenURL, base, *dcRoots, clients, *seedFile == "", *stateFile, loaded, *stateEvery)
	if w := exposureWarning(ln.Addr()); w != "" {
		fmt.Fprintln(stderr, w)
		logger.Warn("the control API is reachable beyond this machine", "addr", ln.Addr().String())
	}

	var handler http.Handler = srv
	var writes atomic.Int64
	stopSaver, saverDone := make(chan struct{}), make(chan struct{})
	if *stateFile != "" && *stateEvery > 0 {
		handler = countWrites(srv, &writes)
		go saveEvery(*stateEvery, srv, *stateFile, &writes, logger, stopSaver, saverDone)
	} else {
		close(saverDone)
	}
	hs := &http.Server{
		Handler:           handler,
		ReadHeaderTimeout: *readHeaderTimeout,
		ReadTimeout:       *readTimeout,
		WriteTimeout:      *writeTimeout,
		IdleTimeout:       *idleTimeout,
		MaxHeaderBytes:    MaxHeaderBytes,
		ErrorLog:          slog.NewLogLogger(logger.Handler(), slog.LevelWarn),
	}
	errc := make(chan error, 1)
	go func() { errc <- hs.Serve(ln) }()
	if ready != nil {
		ready(listenURL)
	}
	select {
	case err := <-errc:
		close(stopSaver)
		<-saverDone
		return fmt.Errorf("serving: %w", err)
	case <-ctx.Done():
	}
	logger.Info("shutting down: letting in-flight requests finish")
	sctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := hs.Shutdown(sctx); err != nil {
		logger.Warn("shutdown", "err", err)
	}
	close(stopSaver)
	<-saverDone
	if *stateFile != "" {
		if err := srv.WriteStateFile(*stateFile); err != nil {
			return fmt.Errorf("saving state to %s: %w", *stateFile, err)
		}
		logger.Info("state saved", "file", *stateFile)
	}
	return nil
}

func printBanner(w io.Writer, listenURL, base string, dcRoots bool, clients clientFlags, defaultSeed bool, stateFile string, loaded bool, stateEvery time.Duration) {
	fmt.Fprintf(w, "xinkmock listening on %s\n", listenURL)
	if base != listenURL {
		fmt.Fprintf(w, "advertised base URL %s\n", base)
	}
	fmt.Fprintln(w)
	fmt.Fprintf(w, "  token       POST %s/OAuth/Token\n", base)
	fmt.Fprintf(w, "  discovery   GET  %s/Discovery\n", base)
	if dcRoots {
		fmt.Fprintf(w, "  API roots   %s%s<us|eu|uk|ca|au>  (the demo client's: %s%seu)\n", base, mockserver.DCPath, base, mockserver.DCPath)
	} else {
		fmt.Fprintf(w, "  API root    %s  (routes under /api/1.0/)\n", base)
	}
	fmt.Fprintf(w, "  images      %s%s/Images/Get/<folder>/<file>\n", base, mockserver.ImgPath)
	fmt.Fprintf(w, "  control     %s%shealth\n\n", base, mockserver.ControlPath)
	// A --client with a built-in client's id replaces it (the last one wins): print what is
	// in force, never a built-in secret that no longer works.
	override := map[string]mockserver.Client{}
	for _, c := range clients {
		override[c.ID] = c
	}
	if c, ok := override[mockserver.DemoClientID]; ok {
		fmt.Fprintf(w, "  demo client id      %s\n", mockserver.DemoClientID)
		fmt.Fprintf(w, "  demo client secret  (replaced by --client; the built-in secret is refused)\n")
		fmt.Fprintf(w, "  demo scopes         %s (data center %s)\n", clientScopes(c), clientDC(c))
	} else {
		fmt.Fprintf(w, "  demo client id      %s\n", mockserver.DemoClientID)
		fmt.Fprintf(w, "  demo client secret  %s\n", mockserver.DemoClientSecret)
		fmt.Fprintf(w, "  demo scopes         %s (data center EU)\n", strings.Join(mockserver.AllScopes(), " "))
	}
	if defaultSeed {
		if c, ok := override[mockserver.PartnerClientID]; ok {
			fmt.Fprintf(w, "  partner client      %s / (secret replaced by --client) (%s, data center %s)\n", mockserver.PartnerClientID, clientScopes(c), clientDC(c))
		} else {
			fmt.Fprintf(w, "  partner client      %s / %s (managed accounts, data center UK)\n", mockserver.PartnerClientID, mockserver.PartnerClientSecret)
		}
	}
	seen := map[string]bool{}
	for i := len(clients) - 1; i >= 0; i-- { // the last --client of an id is the one in force
		c := clients[i]
		if seen[c.ID] || c.ID == mockserver.DemoClientID || (defaultSeed && c.ID == mockserver.PartnerClientID) {
			continue
		}
		seen[c.ID] = true
		fmt.Fprintf(w, "  client              %s (secret from --client; %s, data center %s)\n", c.ID, clientScopes(c), clientDC(c))
	}
	if stateFile != "" {
		when := "on shutdown"
		if stateEvery > 0 {
			when = fmt.Sprintf("every %v while it changes, and on shutdown", stateEvery)
		}
		if loaded {
			fmt.Fprintf(w, "  state               loaded from %s; saved there %s\n", stateFile, when)
		} else {
			fmt.Fprintf(w, "  state               %s (new); saved there %s\n", stateFile, when)
		}
	}
	fmt.Fprintln(w)
}

func clientScopes(c mockserver.Client) string {
	if len(c.Scopes) == 0 {
		return "all scopes"
	}
	return strings.Join(c.Scopes, " ")
}

func clientDC(c mockserver.Client) string {
	if c.DataCenter == "" {
		return "EU"
	}
	return strings.ToUpper(c.DataCenter)
}

// exposureWarning is a warning when the mock listens beyond the loopback interface: the
// control API under /_mock/ has no authentication.
func exposureWarning(a net.Addr) string {
	ta, ok := a.(*net.TCPAddr)
	if !ok || ta.IP.IsLoopback() {
		return ""
	}
	return fmt.Sprintf("WARNING: xinkmock listens on %s, not a loopback address: the control API %s has no authentication, so anyone who can reach this port can reset the data, read the state, revoke tokens and inject faults", a, mockserver.ControlPath)
}

// MaxHeaderBytes caps the size of a request's header block; a larger one gets 431.
const MaxHeaderBytes = 64 << 10

// countWrites counts the requests that may change the mock's state: every method but GET,
// HEAD and OPTIONS (token requests, API writes, control calls). The count moves after the
// answer, so a save that sees it includes the change.
func countWrites(next http.Handler, n *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		defer n.Add(1) // also when an injected Drop fault aborts the handler
		next.ServeHTTP(w, r)
	})
}

// saveEvery writes the state file every interval if a write arrived since the last save.
// WriteStateFile is atomic, so a SIGKILL at any moment leaves the previous file or the new one.
func saveEvery(every time.Duration, srv *mockserver.Server, file string, writes *atomic.Int64, logger *slog.Logger, stop <-chan struct{}, done chan<- struct{}) {
	defer close(done)
	t := time.NewTicker(every)
	defer t.Stop()
	var saved int64
	for {
		select {
		case <-stop:
			return
		case <-t.C:
		}
		n := writes.Load()
		if n == saved {
			continue
		}
		if err := srv.WriteStateFile(file); err != nil {
			logger.Error("saving state", "file", file, "err", err)
			continue
		}
		saved = n
		logger.Debug("state saved", "file", file, "writes", n)
	}
}

// removeStaleTemps deletes temporary files a killed process left beside the state file
// (WriteStateFile names them .<name>.tmp-*). The state file itself is never touched.
func removeStaleTemps(stateFile string, logger *slog.Logger) {
	dir, prefix := filepath.Dir(stateFile), "."+filepath.Base(stateFile)+".tmp-"
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	for _, e := range entries {
		if e.Type().IsRegular() && strings.HasPrefix(e.Name(), prefix) {
			if err := os.Remove(filepath.Join(dir, e.Name())); err == nil {
				logger.Info("removed a temporary state file left by a crash", "file", filepath.Join(dir, e.Name()))
			}
		}
	}
}
