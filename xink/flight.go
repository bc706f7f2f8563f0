package xink

import (
	"context"
	"errors"
	"sync"
)

// flight runs at most one fetch at a time and shares its result with every caller that
// arrives while it runs (singleflight). A waiter whose own context ends stops waiting at
// once; a waiter that received another caller's context error tries again as the leader.
type flight[T any] struct {
	mu   sync.Mutex
	call *flightCall[T]
}

type flightCall[T any] struct {
	done chan struct{}
	val  T
	err  error
}

func (f *flight[T]) do(ctx context.Context, fetch func(context.Context) (T, error)) (T, error) {
	for {
		f.mu.Lock()
		c := f.call
		leader := c == nil
		if leader {
			c = &flightCall[T]{done: make(chan struct{})}
			f.call = c
		}
		f.mu.Unlock()

		if leader {
			c.val, c.err = fetch(ctx)
			f.mu.Lock()
			f.call = nil
			f.mu.Unlock()
			close(c.done)
			return c.val, c.err
		}
		select {
		case <-c.done:
		case <-ctx.Done():
			var zero T
			return zero, ctx.Err()
		}
		if c.err != nil && ctx.Err() == nil &&
			(errors.Is(c.err, context.Canceled) || errors.Is(c.err, context.DeadlineExceeded)) {
			continue // the leader's context ended, not ours: fetch again
		}
		return c.val, c.err
	}
}
