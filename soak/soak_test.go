package soak

import (
	"context"
	"strings"
	"testing"
)

// TestSmallSoak runs a short soak (8 clients, 30 operations each) with every invariant.
func TestSmallSoak(t *testing.T) {
	rep, err := Run(context.Background(), Config{Workers: 8, OpsPerWorker: 30, MaxHeapGrowth: 32 << 20, Seed: 7})
	if err != nil {
		t.Fatal(err)
	}
	if !rep.Passed() {
		t.Fatalf("soak failed: %d errors %v; violations:\n%s", rep.Errors, rep.FirstErrors, strings.Join(rep.Violations, "\n"))
	}
	if rep.Ops != 8*30 || rep.Created == 0 || rep.Deleted == 0 || rep.FieldsChecked == 0 || rep.Requests <= rep.Ops {
		t.Errorf("the run did not do what it should: %+v", rep)
	}
	if rep.Listed != rep.Total || rep.Total != 25+rep.Created-rep.Deleted {
		t.Errorf("listed %d, total %d, created %d, deleted %d", rep.Listed, rep.Total, rep.Created, rep.Deleted)
	}
}

func TestConfigValidated(t *testing.T) {
	for _, c := range []Config{{Workers: 0, OpsPerWorker: 10, MaxHeapGrowth: 1}, {Workers: 1, OpsPerWorker: 5, MaxHeapGrowth: 1}, {Workers: 1, OpsPerWorker: 10},
		{Workers: 1, OpsPerWorker: 10, MaxHeapGrowth: 1, Target: "http://192.0.2.1:8080"}, {Workers: 1, OpsPerWorker: 10, MaxHeapGrowth: 1, Target: "https://127.0.0.1:1"},
		{Workers: 1, OpsPerWorker: 10, MaxHeapGrowth: 1, Target: "http://127.0.0.1:1/api"}} {
		if _, err := Run(context.Background(), c); err == nil {
			t.Errorf("Run(%+v) accepted", c)
		}
	}
}
