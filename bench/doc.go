// Package bench holds the project's benchmarks (run by `make bench`, never by
// `make test` except as a compile check): the mock's handler per operation
// and per data-set size, and the client's per-call overhead against raw
// net/http + encoding/json. The load comparison with Prism and the net/http
// ceiling is the command ./cmd/xinkbench; figures go to RESULTS.md.
package bench
