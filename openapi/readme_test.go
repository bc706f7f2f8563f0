package openapi_test

import (
	"flag"
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
)

var update = flag.Bool("update", false, "rewrite the operations table in ../README.md from the spec")

const (
	tableBegin = "<!-- BEGIN OPERATIONS -->"
	tableEnd   = "<!-- END OPERATIONS -->"
)

// operationsTable renders the README's table of operations from the spec.
func operationsTable(doc *openapi3.T) string {
	ops := operations(doc)
	slices.SortStableFunc(ops, func(a, b operation) int {
		return slices.Index(wantTags, a.Op.Tags[0]) - slices.Index(wantTags, b.Op.Tags[0])
	})
	counts := map[string]int{}
	var b strings.Builder
	b.WriteString("| Controller | Method | Path | operationId | Scope | Provenance |\n")
	b.WriteString("|---|---|---|---|---|---|\n")
	for _, o := range ops {
		scope := "any valid token"
		if o.Op.OperationID == "getToken" {
			scope = "client credentials (Basic or form)"
		} else if sec := *o.Op.Security; len(sec) > 0 && len(sec[0]["oauth2"]) > 0 {
			scope = "`" + strings.Join(sec[0]["oauth2"], "`, `") + "`"
		}
		prov, _ := o.Op.Extensions["x-xink-provenance"].(string)
		counts[prov]++
		fmt.Fprintf(&b, "| %s | %s | `%s` | `%s` | %s | %s |\n", o.Op.Tags[0], o.Method, o.Path, o.Op.OperationID, scope, prov)
	}
	fmt.Fprintf(&b, "\n%d operations: %d documented, %d partly-documented, %d inferred.\n",
		len(ops), counts["documented"], counts["partly-documented"], counts["inferred"])
	return b.String()
}

// TestREADMEOperationsTable keeps the README's operations table equal to the
// spec. Run `go test ./openapi/ -run TestREADMEOperationsTable -update` to
// rewrite it after a spec change.
func TestREADMEOperationsTable(t *testing.T) {
	const path = "../README.md"
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	text := string(readme)
	start, end := strings.Index(text, tableBegin), strings.Index(text, tableEnd)
	if start < 0 || end < start {
		t.Fatalf("README.md lacks the %s ... %s markers", tableBegin, tableEnd)
	}
	want := operationsTable(loadSpec(t))
	got := text[start+len(tableBegin) : end]
	if strings.TrimSpace(got) == strings.TrimSpace(want) {
		return
	}
	if *update {
		text = text[:start+len(tableBegin)] + "\n" + want + text[end:]
		if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Log("README.md operations table rewritten")
		return
	}
	t.Errorf("README.md operations table differs from the spec; run\n\tgo test ./openapi/ -run TestREADMEOperationsTable -update\nwant:\n%s", want)
}
