// Command hello is the ceiling of `make bench`: a bare net/http server that
// answers every request with a small JSON body, as fast as Go's net/http can
// on this machine. It listens on 127.0.0.1 only.
package main

import (
	"flag"
	"fmt"
	"net"
	"net/http"
	"os"
)

func main() {
	addr := flag.String("addr", "127.0.0.1:0", "listen address (loopback)")
	flag.Parse()
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		fmt.Fprintln(os.Stderr, "hello:", err)
		os.Exit(1)
	}
	fmt.Printf("listening on http://%s\n", ln.Addr())
	body := []byte(`{"Success":true}`)
	err = http.Serve(ln, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write(body)
	}))
	fmt.Fprintln(os.Stderr, "hello:", err)
	os.Exit(1)
}
