package xink

import (
	"context"
	"iter"
)

// Employees walks every employee, fetching pages of WithPageSize (default 500) from
// /api/1.0/employee/list/{offset}/{limit} as the loop advances. It stops once offset reaches
// the reported Total (or, without a Total, after a short page) and after an empty page. On
// failure it yields the error once and stops.
//
//	for e, err := range c.Employees(ctx) {
//		if err != nil { return err }
//		fmt.Println(e.Email)
//	}
func (c *Client) Employees(ctx context.Context) iter.Seq2[Employee, error] {
	return func(yield func(Employee, error) bool) {
		limit := c.cfg.pageSize
		for offset := 0; ; {
			page, err := c.ListEmployeesPage(ctx, offset, limit)
			if err != nil {
				yield(Employee{}, err)
				return
			}
			emps := items(page.Employees)
			for _, e := range emps {
				if !yield(e, nil) {
					return
				}
			}
			offset += len(emps)
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
