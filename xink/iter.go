package xink

import (
	"context"
	"fmt"
	"iter"
)

// Employees walks every employee, fetching pages of WithPageSize (default 500) from
// /api/1.0/employee/list/{offset}/{limit} as the loop advances. It stops once offset reaches
// the reported Total (or, without a Total, after a short page). On failure it yields the
// error once and stops.
//
// The walk does not trust the server blindly; it stops with an error when a page's Offset
// (if sent) is not the offset asked for, when a page is empty although Total says more
// employees remain, when a page holds more employees than asked for, when a page repeats
// the previous page (same emails in the same order: the server ignores offset), and when it
// has fetched more pages than the first page's Total allows (at most one page per
// employee, plus one).
//
//	for e, err := range c.Employees(ctx) {
//		if err != nil { return err }
//		fmt.Println(e.Email)
//	}
func (c *Client) Employees(ctx context.Context) iter.Seq2[Employee, error] {
	const op = "listEmployeesPage"
	return func(yield func(Employee, error) bool) {
		fail := func(format string, args ...any) {
			yield(Employee{}, &opError{op: op, err: fmt.Errorf(format, args...)})
		}
		limit := c.cfg.pageSize
		maxPages := -1 // unknown until a page reports Total
		var prev []Employee
		for offset, pages := 0, 0; ; {
			page, err := c.ListEmployeesPage(ctx, offset, limit)
			if err != nil {
				yield(Employee{}, err)
				return
			}
			pages++
			emps := items(page.Employees)
			switch {
			case page.Offset != nil && int(*page.Offset) != offset:
				fail("asked for offset %d, the server answered with Offset %d (it ignores the offset; stopping so items are not repeated)", offset, *page.Offset)
				return
			case len(emps) > limit:
				fail("asked for at most %d employees, the server returned %d", limit, len(emps))
				return
			case len(emps) == 0 && page.Total != nil && offset < int(*page.Total):
				fail("empty page at offset %d although Total is %d", offset, *page.Total)
				return
			case len(emps) > 0 && samePage(prev, emps):
				fail("the page at offset %d repeats the previous page (the server ignores the offset)", offset)
				return
			}
			if maxPages < 0 && page.Total != nil {
				maxPages = int(*page.Total) + 1
			}
			if maxPages >= 0 && pages > maxPages {
				fail("fetched %d pages, more than Total %d allows", pages, maxPages-1)
				return
			}
			for _, e := range emps {
				if !yield(e, nil) {
					return
				}
			}
			offset += len(emps)
			prev = emps
			// With a Total, walk until it is reached (a server that caps the page size below
			// the limit asked for still gets walked to the end); without one, a short page is
			// the last. An empty page always ends the walk.
			switch {
			case len(emps) == 0:
				return
			case page.Total != nil && offset >= int(*page.Total):
				return
			case page.Total == nil && len(emps) < limit:
				return
			}
		}
	}
}

// samePage reports whether b lists the same employees (by email, in order) as a.
func samePage(a, b []Employee) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Email != b[i].Email {
			return false
		}
	}
	return true
}

// seqOf turns a one-request list into an iterator.
func seqOf[T any](list func() ([]T, error)) iter.Seq2[T, error] {
	return func(yield func(T, error) bool) {
		all, err := list()
		if err != nil {
			var zero T
			yield(zero, err)
			return
		}
		for _, v := range all {
			if !yield(v, nil) {
				return
			}
		}
	}
}

// Images iterates over ListImages (Xink returns the list in one response).
func (c *Client) Images(ctx context.Context) iter.Seq2[Image, error] {
	return seqOf(func() ([]Image, error) { return c.ListImages(ctx) })
}

// Signatures iterates over ListSignatures (one response).
func (c *Client) Signatures(ctx context.Context) iter.Seq2[Signature, error] {
	return seqOf(func() ([]Signature, error) { return c.ListSignatures(ctx) })
}

// Rerouting iterates over ListRerouting (one response).
func (c *Client) Rerouting(ctx context.Context) iter.Seq2[ReroutingState, error] {
	return seqOf(func() ([]ReroutingState, error) { return c.ListRerouting(ctx) })
}

// ManagedAccounts iterates over ListManagedAccounts (one response).
func (c *Client) ManagedAccounts(ctx context.Context) iter.Seq2[ManagedAccount, error] {
	return seqOf(func() ([]ManagedAccount, error) { return c.ListManagedAccounts(ctx) })
}

// SharedMailboxes iterates over ListSharedMailboxes (one response).
func (c *Client) SharedMailboxes(ctx context.Context) iter.Seq2[SharedMailbox, error] {
	return seqOf(func() ([]SharedMailbox, error) { return c.ListSharedMailboxes(ctx) })
}
