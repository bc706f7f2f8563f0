package mockserver

import "testing"

// TestSecretsEqual: the constant-time comparison is an equality test on any lengths.
func TestSecretsEqual(t *testing.T) {
	for _, tc := range []struct {
		got, want string
		eq        int
	}{
		{"xink-mock-secret", "xink-mock-secret", 1},
		{"xink-mock-secre", "xink-mock-secret", 0},
		{"xink-mock-secretx", "xink-mock-secret", 0},
		{"", "xink-mock-secret", 0},
		{"", "", 1},
		{"XINK-MOCK-SECRET", "xink-mock-secret", 0},
	} {
		if got := secretsEqual(tc.got, tc.want); got != tc.eq {
			t.Errorf("secretsEqual(%q, %q) = %d, want %d", tc.got, tc.want, got, tc.eq)
		}
	}
}
