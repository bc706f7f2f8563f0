package mockserver_test

import (
	"testing"
	"time"

	"github.com/xink-go/xink-go/mockserver"
)

// TestAdvanceGoAPIBounds: the Go API refuses what the control API refuses.
func TestAdvanceGoAPIBounds(t *testing.T) {
	m, tok := start(t)
	if err := m.Server.Advance(-time.Second); err == nil {
		t.Error("Advance(-1s) succeeded")
	}
	if err := m.Server.Advance(mockserver.MaxClockOffset - time.Hour); err != nil {
		t.Fatal(err)
	}
	if err := m.Server.Advance(2 * time.Hour); err == nil {
		t.Error("Advance past MaxClockOffset in total succeeded")
	}
	if err := m.Server.Advance(time.Hour); err != nil {
		t.Errorf("Advance up to exactly MaxClockOffset: %v", err)
	}
	wantStatus(t, api(t, m, tok, "GET", "/Discovery", nil), 401) // expired, and stays so
	if err := m.Server.AddFault(mockserver.Fault{Status: 503, Latency: 25 * time.Hour}); err == nil {
		t.Error("a 25-hour latency fault was accepted")
	}
}

func TestResetClock(t *testing.T) {
	m, _ := start(t)
	if err := m.Server.Advance(3 * time.Hour); err != nil {
		t.Fatal(err)
	}
	m.Server.ResetClock()
	if d := time.Until(m.Server.Now()); d > time.Minute || d < -time.Minute {
		t.Errorf("after ResetClock the clock is %v off", d)
	}
}
