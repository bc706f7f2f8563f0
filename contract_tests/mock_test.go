package contracttests

import (
	"testing"
)

// TestScenariosAgainstMock runs every scenario against a fresh in-process
// mock; every mock response must conform to the spec.
func TestScenariosAgainstMock(t *testing.T) {
	for _, s := range Scenarios() {
		t.Run(s.Name, func(t *testing.T) {
			t.Parallel()
			env, _, vt := mockEnv(t)
			if err := RunScenario(t.Context(), s, env); err != nil {
				t.Fatalf("scenario %s against the mock: %v", s.Name, err)
			}
			reportFailures(t, vt)
			if missing := missingOps(s.Operations, vt.SeenOperations()); len(missing) > 0 {
				t.Errorf("scenario %s declares operations it never called: %v", s.Name, missing)
			}
		})
	}
}

func missingOps(declared, seen []string) []string {
	have := map[string]bool{}
	for _, op := range seen {
		have[op] = true
	}
	var out []string
	for _, op := range declared {
		if !have[op] {
			out = append(out, op)
		}
	}
	return out
}
