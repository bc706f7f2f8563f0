package contracttests

import (
	"fmt"
	"sort"
	"strings"
	"testing"

	"github.com/xink-go/xink-go/generated/xinkserver"
	"github.com/xink-go/xink-go/mockserver"
)

// The mock implements every operation of the generated strict server
// interface: a missing handler does not compile.
var _ xinkserver.StrictServerInterface = (*mockserver.Server)(nil)

// coverageGaps names every spec operation that lacks a scenario, a
// recording or a mock handler that answered 2xx, and every scenario
// operation the spec does not have.
func coverageGaps(specOps map[string]string, scenarioOps, recordedOps map[string][]string, mockStatuses map[string][]int) []string {
	var gaps []string
	ids := make([]string, 0, len(specOps))
	for id := range specOps {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		route := specOps[id]
		if len(scenarioOps[id]) == 0 {
			gaps = append(gaps, fmt.Sprintf("operation %s (%s): no scenario calls it", id, route))
		}
		if len(recordedOps[id]) == 0 {
			gaps = append(gaps, fmt.Sprintf("operation %s (%s): no recording holds it", id, route))
		}
		ok := false
		for _, st := range mockStatuses[id] {
			ok = ok || (st >= 200 && st < 300)
		}
		if !ok {
			gaps = append(gaps, fmt.Sprintf("operation %s (%s): no mock handler answered it with 2xx (statuses seen: %v)", id, route, mockStatuses[id]))
		}
	}
	for id, who := range scenarioOps {
		if _, ok := specOps[id]; !ok {
			gaps = append(gaps, fmt.Sprintf("scenario(s) %s name operation %s, which the spec does not have", strings.Join(who, ", "), id))
		}
	}
	sort.Strings(gaps)
	return gaps
}

// TestCoverage fails, naming each gap, when a spec operation lacks a mock
// handler, a scenario or a recording; and when the recordings lack one of the
// main error statuses.
func TestCoverage(t *testing.T) {
	s := loadSpec(t)
	specOps := map[string]string{}
	for _, op := range s.Operations() {
		specOps[op.ID] = op.Method + " " + op.Path
	}
	scenarioOps := map[string][]string{}
	for _, sc := range Scenarios() {
		for _, op := range sc.Operations {
			scenarioOps[op] = append(scenarioOps[op], sc.Name)
		}
	}
	recordedOps := map[string][]string{}
	statuses := map[int]bool{}
	for _, c := range loadRecordings(t) {
		for _, in := range c.Interactions {
			recordedOps[in.OperationID] = append(recordedOps[in.OperationID], c.Name)
			statuses[in.Response.Status] = true
		}
	}
	mockStatuses := map[string][]int{}
	for _, sc := range Scenarios() {
		env, m, _ := mockEnv(t)
		if err := RunScenario(t.Context(), sc, env); err != nil {
			t.Errorf("scenario %s against the mock: %v", sc.Name, err)
		}
		for _, e := range m.Server.Journal() {
			if e.OperationID != "" {
				mockStatuses[e.OperationID] = append(mockStatuses[e.OperationID], e.Status)
			}
		}
	}
	for _, g := range coverageGaps(specOps, scenarioOps, recordedOps, mockStatuses) {
		t.Error(g)
	}
	for _, st := range []int{400, 401, 403, 404} {
		if !statuses[st] {
			t.Errorf("no recording holds a %d response", st)
		}
	}
	if len(specOps) != 33 {
		t.Errorf("the spec has %d operations; this project documents 33", len(specOps))
	}
}

// TestCoverageGapsAreNamed: the coverage check names each kind of gap.
func TestCoverageGapsAreNamed(t *testing.T) {
	specOps := map[string]string{"a": "GET /a", "b": "GET /b"}
	gaps := coverageGaps(specOps,
		map[string][]string{"a": {"s1"}, "zzz": {"s2"}},
		map[string][]string{"b": {"c1"}},
		map[string][]int{"a": {200}, "b": {501}})
	want := []string{
		"operation a (GET /a): no recording holds it",
		"operation b (GET /b): no mock handler answered it with 2xx (statuses seen: [501])",
		"operation b (GET /b): no scenario calls it",
		"scenario(s) s2 name operation zzz, which the spec does not have",
	}
	if strings.Join(gaps, "\n") != strings.Join(want, "\n") {
		t.Errorf("gaps:\n%s\nwant:\n%s", strings.Join(gaps, "\n"), strings.Join(want, "\n"))
	}
}
