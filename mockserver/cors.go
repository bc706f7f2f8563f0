package mockserver

import (
	"net/http"
	"strings"
)

// CORS lets test suites that run in a browser (a front end on another localhost port)
// call the mock, as they can call Prism. Every answer to a request that carries an Origin
// header allows that origin and exposes the headers clients read; a preflight (OPTIONS
// with Access-Control-Request-Method) is answered 204 at once, before auth and validation,
// since browsers send it without credentials. No cookies are involved, so credentials are
// not allowed.
const (
	corsAllowMethods  = "GET, POST, PUT, DELETE"
	corsExposeHeaders = "WWW-Authenticate, Retry-After, Allow, Cache-Control"
	corsMaxAge        = "600"
)

// cors adds the CORS headers for r to w and reports whether r was a preflight, which it
// has answered.
func cors(w http.ResponseWriter, r *http.Request) (preflight bool) {
	origin := r.Header.Get("Origin")
	if origin == "" {
		return false
	}
	h := w.Header()
	h.Set("Access-Control-Allow-Origin", origin)
	h.Add("Vary", "Origin")
	if r.Method != http.MethodOptions || r.Header.Get("Access-Control-Request-Method") == "" {
		h.Set("Access-Control-Expose-Headers", corsExposeHeaders)
		return false
	}
	h.Set("Access-Control-Allow-Methods", corsAllowMethods)
	if req := r.Header.Get("Access-Control-Request-Headers"); req != "" {
		// Every request header is fine with the mock; echo the list (trimmed) back.
		fields := strings.Split(req, ",")
		for i := range fields {
			fields[i] = strings.TrimSpace(fields[i])
		}
		h.Set("Access-Control-Allow-Headers", strings.Join(fields, ", "))
	}
	h.Set("Access-Control-Max-Age", corsMaxAge)
	w.WriteHeader(http.StatusNoContent)
	return true
}
