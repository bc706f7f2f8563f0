// Package mockserver is xinkmock: a stateful mock of the Xink REST API for integration tests
// in any language.
//
// A Server is one http.Handler that serves, on one listener:
//
//   - POST /OAuth/Token: OAuth2 client credentials (HTTP Basic with a raw "id@SRV" or an
//     RFC 6749-escaped "id%40SRV", or form fields), per-client scopes, opaque 256-bit tokens
//     with expires_in, RFC 6749 error bodies;
//   - GET /Discovery: the client's data center and this server's own URLs (APIRoot is the
//     base URL, or base+"/dc/<dc>" with WithDataCenterRoots; ImgRoot is base+"/img", SyncRoot
//     base+"/sync", TrackingRoot base+"/tracking");
//   - every /api/1.0 operation of openapi/xink.yaml, implemented through the generated
//     strict-server interface over an in-memory store, with bearer checks (401 invalid_token,
//     403 insufficient_scope with the scope the spec names) and request validation against
//     the embedded spec (400 with the Success/Error envelope naming the field);
//   - GET <ImgRoot>/Images/Get/<folder>/<file>: uploaded images with their sniffed type;
//   - /_mock/...: the test-control API (reset, state, journal, token revocation, clock,
//     faults); a Prism-style "Prefer: code=NNN" header picks a declared response.
//
// Requests are validated with kin-openapi directly (router.FindRoute, path parameters
// unescaped, then openapi3filter) rather than through nethttp-middleware: that middleware
// validates percent-encoded path parameters (pitfalls row 2), maps every security failure
// to 401 (no 403 for a missing scope), and cannot tell the mock which operation it matched,
// so a strict middleware here checks that ServeMux dispatched to the same operation (row 3).
//
// With WithStrictResponses every response is validated against the spec before it is sent;
// a mismatch becomes a 500 envelope, an error log line and an entry in StrictViolations. A
// non-5xx status that only the spec's `default` response matches counts as a mismatch (the
// contract tests' rule).
// The mocktest package starts a Server for a Go test with strict mode on.
package mockserver
