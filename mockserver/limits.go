package mockserver

import (
	"errors"
	"net"
	"net/http"
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
