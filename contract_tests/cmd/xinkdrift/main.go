// Command xinkdrift compares recorded Xink traffic (contract-test cassettes)
// with the OpenAPI spec and lists, per operation, the fields seen but not in
// the spec, required fields never seen, type mismatches, and the statuses,
// content types and routes the spec lacks. It exits 1 when it finds drift,
// 2 on a usage or load error, 0 otherwise.
//
//	go run ./contract_tests/cmd/xinkdrift [-recordings DIR] [-spec FILE] [-provenance live,synthetic,xink-docs] [-json] [-unseen]
package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"github.com/xink-go/xink-go/contract_tests/cassette"
	"github.com/xink-go/xink-go/contract_tests/conform"
)

func main() { os.Exit(run(os.Args[1:], os.Stdout, os.Stderr)) }

func run(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("xinkdrift", flag.ContinueOnError)
	fs.SetOutput(stderr)
	dir := fs.String("recordings", "contract_tests/testdata/recordings", "directory of cassette *.json files")
	specFile := fs.String("spec", "", "OpenAPI file (default: the embedded openapi/xink.yaml)")
	prov := fs.String("provenance", "", "comma-separated provenances to include (default all): live, synthetic, xink-docs")
	asJSON := fs.Bool("json", false, "write the report as JSON (it always includes the unseen list)")
	unseen := fs.Bool("unseen", false, "also list optional properties the spec declares but no recording carried (information; does not change the exit code)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "xinkdrift: unexpected argument %q\n", fs.Arg(0))
		return 2
	}
	var keep []string
	if *prov != "" {
		for _, p := range strings.Split(*prov, ",") {
			p = strings.TrimSpace(p)
			switch p {
			case cassette.ProvenanceLive, cassette.ProvenanceSynthetic, cassette.ProvenanceXinkDocs:
				keep = append(keep, p)
			default:
				fmt.Fprintf(stderr, "xinkdrift: -provenance: %q is not live, synthetic or xink-docs\n", p)
				return 2
			}
		}
	}
	var (
		spec *conform.Spec
		err  error
	)
	if *specFile != "" {
		spec, err = conform.LoadSpecFile(*specFile)
	} else {
		spec, err = conform.LoadSpec()
	}
	if err != nil {
		fmt.Fprintf(stderr, "xinkdrift: %v\n", err)
		return 2
	}
	all, err := cassette.LoadDir(*dir)
	if err != nil {
		fmt.Fprintf(stderr, "xinkdrift: %v\n", err)
		return 2
	}
	var cs []*cassette.Cassette
	for _, c := range all {
		if keep == nil || slices.Contains(keep, c.Provenance) {
			cs = append(cs, c)
		}
	}
	if len(cs) == 0 {
		fmt.Fprintf(stderr, "xinkdrift: no cassettes in %s (provenance filter %q)\n", *dir, *prov)
		return 2
	}
	rep := conform.Drift(spec, cs)
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		err = enc.Encode(rep)
	} else {
		err = rep.WriteText(stdout)
		if err == nil && *unseen {
			err = rep.WriteUnseen(stdout)
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "xinkdrift: %v\n", err)
		return 2
	}
	if rep.HasDrift() {
		return 1
	}
	return 0
}
