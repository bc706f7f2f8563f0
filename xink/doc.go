// Package xink is a client for the Xink REST API (Xink is an email-signature platform).
//
// It is a hand-written layer over the client generated from openapi/xink.yaml
// (generated/xinkapi) and gets the details right that the generated code leaves to you:
//
//   - Tokens: OAuth2 client credentials sent as form fields or as HTTP Basic built from the
//     raw bytes (Xink's "...@SRV" client ids survive unescaped); expires_in read as a number or
//     a numeric string; the token cached and replaced before it expires, with one fetch however
//     many goroutines ask; on a 401 invalid_token the token is dropped, a new one fetched and
//     the request sent once more.
//   - Hosts: the token goes only to the auth host (default https://auth.xink.io) and the API
//     host; redirects are never followed. The API root is discovered once, lazily, on first
//     use (GET /Discovery), or pinned with WithAPIRoot or WithDataCenter. It must be https
//     (plain http only on a loopback host, for mocks).
//   - Retries: network errors, 429 (honouring Retry-After) and 502/503/504 are retried with
//     exponential backoff and full jitter for GET, PUT, DELETE and token requests; POST never
//     is; attempts are bounded (WithRetryPolicy); a cancelled context stops at once.
//   - Errors: every non-2xx answer is an *Error with the status, Xink's Error text, the OAuth
//     error code and description, the scope a 403 asks for, the request id and the body;
//     errors.Is matches ErrBadRequest, ErrUnauthorized, ErrForbidden, ErrNotFound, ErrConflict and
//     ErrRateLimited. Input that cannot be sent safely (an empty email, one with "/") is
//     refused before any request with an *ArgumentError (ErrInvalidArgument).
//   - Answers: a successful body is read up to MaxResponseBytes (32 MiB); a larger one fails
//     with ErrResponseTooLarge rather than being cut off. Error bodies are read only as far
//     as an *Error keeps them (64 KiB, plus a bounded drain). A 2xx answer that lacks its
//     payload (no Employee, no Fields, no Images, ...) is an error naming what is missing;
//     a list sent as JSON null is an empty list. GetAccountInfo and AssignSignature return
//     their envelope as it came (its properties are optional in the spec).
//   - Token responses must be a JSON object with a bearer token_type (or none), an
//     access_token without control characters and an expires_in between 1 second and the
//     time.Duration range; anything else is an error naming the value as sent.
//   - Every operation of the spec has a typed method named after its operationId
//     (getEmployeeFields is GetEmployeeFields); lists are also iterators (Employees walks
//     all pages); UploadImage streams an image with its detected content type and a size
//     guard.
//
// A minimal program:
//
//	c, err := xink.NewClient(ctx, xink.WithCredentials(id, secret))
//	if err != nil { ... }
//	for e, err := range c.Employees(ctx) {
//		if err != nil { ... }
//		fmt.Println(e.Email)
//	}
//
// A Client is safe for concurrent use; create one per set of credentials and share it.
// Model types are re-exported as aliases (Employee, Signature, ...); their optional .NET
// reference properties are nullable.Nullable values (use Value and Null to set them, Get to
// read them). For tests, run the mock in-process (mockserver/mocktest) and point WithAuthURL
// at it, as the examples do.
package xink
