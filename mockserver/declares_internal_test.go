package mockserver

import (
	"testing"

	"github.com/xink-go/xink-go/contract_tests/conform"
)

// TestDeclaresStatusMatchesContractTests: strict mode flags exactly the statuses the contract
// tests call undeclared, for every operation and every status.
func TestDeclaresStatusMatchesContractTests(t *testing.T) {
	s, err := New()
	if err != nil {
		t.Fatal(err)
	}
	n, undeclared := 0, 0
	for _, pi := range s.spec.Paths.Map() {
		for _, op := range pi.Operations() {
			for status := 100; status < 600; status++ {
				got, want := declaresStatus(op, status), conform.DeclaresStatus(op, status)
				if got != want {
					t.Errorf("%s %d: mock says %v, contract tests %v", op.OperationID, status, got, want)
				}
				if !got {
					undeclared++
				}
				n++
			}
		}
	}
	if n < 33*500 || undeclared == 0 {
		t.Errorf("%d pairs, %d undeclared: the comparison proves nothing", n, undeclared)
	}
}
