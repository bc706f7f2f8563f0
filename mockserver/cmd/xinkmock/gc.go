package main

import (
	"os"
	"runtime/debug"
)

// Garbage-collector defaults for a mock server: its live heap is small (tens
// of MB with the embedded seed) and it is measured by the latency it adds to
// someone's test suite, so it trades memory for fewer collections: GOGC=400,
// with a soft memory limit of 256 MiB so that a large seed (100,000
// employees) still stays well under 300 MB resident. Set GOGC or GOMEMLIMIT
// in the environment to override either.
const (
	defaultGCPercent   = 400
	defaultMemoryLimit = 256 << 20
)

func tuneGC() {
	if _, set := os.LookupEnv("GOGC"); !set {
		debug.SetGCPercent(defaultGCPercent)
	}
	if _, set := os.LookupEnv("GOMEMLIMIT"); !set {
		debug.SetMemoryLimit(defaultMemoryLimit)
	}
}
