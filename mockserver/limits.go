package mockserver

import (
	"errors"
	"fmt"
	"net"
	"net/http"
	"path"
	"strings"
)

// bodyReadTimedOut reports whether err comes from a request body that did not arrive
// before the server's read deadline (http.Server.ReadTimeout): a slow or stalled client.
func bodyReadTimedOut(err error) bool {
	var ne net.Error
	return errors.As(err, &ne) && ne.Timeout()
}

// slowClient answers a request whose body timed out: 400 with the envelope (the status every
// operation declares), and the connection is closed after it, so the client cannot keep
// trickling. The message names no addresses.
func slowClient(w http.ResponseWriter) {
	w.Header().Set("Connection", "close")
	writeEnvelope(w, http.StatusBadRequest, "request body: not received within the server's read timeout; the connection is closed")
}

// uncleanPath names a request path with "." or ".." segments or empty segments ("//"), as
// sent (escaped). ServeMux would answer such a path with a redirect to its cleaned form (an
// HTML 307 that no operation declares, and kin's strict check never looks at), so the mock
// answers 404 with the envelope instead. An escaped "%2E%2E" is a value, not a segment.
func uncleanPath(r *http.Request) string {
	p := r.URL.EscapedPath()
	c := path.Clean(p)
	if strings.HasSuffix(p, "/") && c != "/" {
		c += "/"
	}
	if c == p {
		return ""
	}
	return fmt.Sprintf("no operation matches %s %s (the path has empty, \".\" or \"..\" segments)", r.Method, truncate(p))
}

// dispatchMiss answers a request the validator matched but ServeMux could not dispatch (a
// path parameter that is exactly an escaped "/", for example): 404 with the envelope, not
// ServeMux's text/plain page.
func dispatchMiss(w http.ResponseWriter, r *http.Request) {
	writeEnvelope(w, http.StatusNotFound, fmt.Sprintf("no operation matches %s %s", r.Method, truncate(r.URL.EscapedPath())))
}
