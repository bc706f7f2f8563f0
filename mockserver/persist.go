package mockserver

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"time"
)

// State is the mock's data and live tokens, as written to a state file and served by
// GET /_mock/state. Data is in the Seed format.
type State struct {
	Version     int           `json:"Version"`
	Saved       time.Time     `json:"Saved"`
	Data        Seed          `json:"Data"`
	Tokens      []Token       `json:"Tokens,omitempty"`
	Revoked     []string      `json:"Revoked,omitempty"` // SHA-256 hashes of revoked tokens
	ClockOffset time.Duration `json:"ClockOffset,omitempty"`
}

const stateVersion = 1

// State returns a snapshot of the current data and tokens.
func (s *Server) State() *State {
	s.mu.RLock()
	accounts := s.st.snapshot(true)
	s.mu.RUnlock()
	s.ctl.Lock()
	defer s.ctl.Unlock()
	st := &State{Version: stateVersion, Saved: time.Now().UTC(), Data: Seed{Accounts: accounts}, ClockOffset: s.offset}
	for _, t := range s.tokens {
		c := *t
		c.Scopes = slices.Clone(t.Scopes)
		st.Tokens = append(st.Tokens, c)
	}
	slices.SortFunc(st.Tokens, func(a, b Token) int { return a.Expires.Compare(b.Expires) })
	for h := range s.revoked {
		st.Revoked = append(st.Revoked, h)
	}
	slices.Sort(st.Revoked)
	return st
}

// WithState starts the mock from a saved state instead of the seed's data (Reset still goes
// back to the seed). Tokens in the state stay valid until they expire.
func WithState(st *State) Option {
	return func(cfg *config) error {
		if st == nil {
			return errors.New("state is nil")
		}
		if st.Version != stateVersion {
			return fmt.Errorf("state: version %d is not supported (want %d)", st.Version, stateVersion)
		}
		data, err := st.Data.clone()
		if err != nil {
			return err
		}
		if err := data.validate(); err != nil {
			return fmt.Errorf("state: %w", err)
		}
		c := *st
		c.Data = *data
		cfg.state = &c
		return nil
	}
}

// ReadStateFile reads a state file written by WriteStateFile.
func ReadStateFile(path string) (*State, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var st State
	if err := json.Unmarshal(b, &st); err != nil {
		return nil, fmt.Errorf("state file %s: %w", path, err)
	}
	return &st, nil
}

// WriteStateFile saves the state atomically: a temporary file in the same directory,
// fsync, rename, then fsync of the directory. A crash leaves the old file or the new one.
func (s *Server) WriteStateFile(path string) (err error) {
	b, err := json.MarshalIndent(s.State(), "", " ")
	if err != nil {
		return err
	}
	dir := filepath.Dir(path)
	f, err := os.CreateTemp(dir, "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = os.Remove(f.Name())
		}
	}()
	if _, err = f.Write(append(b, '\n')); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err = f.Close(); err != nil {
		return err
	}
	if err = os.Rename(f.Name(), path); err != nil {
		return err
	}
	if d, derr := os.Open(dir); derr == nil {
		_ = d.Sync()
		_ = d.Close()
	}
	return nil
}
