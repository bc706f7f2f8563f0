// Command specgate is xink-go's breaking-change gate: it compares
// openapi/xink.yaml with the latest released baseline in openapi/baseline/
// using oasdiff, and fails when the spec breaks consumers without a major
// bump of info.version and a "### Breaking" note in CHANGELOG.md.
//
// Run it from the repository root with `make check-breaking`, or from
// tools/oasdiff with `go run ./specgate -baseline ../../openapi/baseline ...`.
package main

import (
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(cli(os.Args[1:], os.Stdout, os.Stderr))
}

// cli runs the gate and returns the exit code: 0 pass, 1 violation, 2 cannot judge.
func cli(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("specgate", flag.ContinueOnError)
	fs.SetOutput(stderr)
	var o options
	fs.StringVar(&o.baselineDir, "baseline", "openapi/baseline", "directory of released baselines (xink-<semver>.yaml)")
	fs.StringVar(&o.spec, "spec", "openapi/xink.yaml", "the current spec")
	fs.StringVar(&o.changelog, "changelog", "CHANGELOG.md", "the changelog (Keep a Changelog format)")
	if err := fs.Parse(args); err != nil {
		return 2
	}
	res, err := run(o)
	if err != nil {
		fmt.Fprintf(stderr, "specgate: %v\n", err)
		return 2
	}
	fmt.Fprintf(stdout, "specgate: %s (info.version %s) -> %s (info.version %s): %d breaking, %d compatible change(s)\n",
		res.baselineFile, res.baseVersion, o.spec, res.revisionVersion, len(res.breaking), len(res.other))
	for _, b := range res.breaking {
		fmt.Fprintf(stdout, "  %s\n", b)
	}
	for _, b := range res.other {
		fmt.Fprintf(stdout, "  %s\n", b)
	}
	if len(res.failures) > 0 {
		for _, f := range res.failures {
			fmt.Fprintf(stderr, "specgate: FAIL: %s\n", f)
		}
		return 1
	}
	fmt.Fprintln(stdout, "specgate: ok")
	return 0
}
