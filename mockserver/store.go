package mockserver

import (
	"fmt"
	"slices"
	"strings"
	"sync/atomic"
)

// The in-memory store. One RWMutex on the Server guards all of it; handlers take the lock
// for the whole of a read or a write, so every request sees and leaves a consistent state.

type field struct {
	name  string
	value *string
}

type assignment struct {
	sigID        int64
	defaultNew   bool
	defaultReply bool
}

type employee struct {
	email       string // as created (case kept)
	fields      []field
	assignments []assignment
	rerouting   *SeedRerouting // nil: never set (disabled, Modified null)
	encCache                   // the employee's JSON; see encode.go
}

// coreFields are the fields the Employee schema carries besides Email.
var coreFields = []string{"FirstName", "LastName", "DisplayName", "JobTitle", "Department"}

func (e *employee) get(name string) *string {
	if strings.EqualFold(name, "Email") {
		v := e.email
		return &v
	}
	for _, f := range e.fields {
		if strings.EqualFold(f.name, name) {
			return f.value
		}
	}
	return nil
}

func (e *employee) set(name string, v *string) {
	for i, f := range e.fields {
		if strings.EqualFold(f.name, name) {
			e.fields[i].value = v
			e.changed()
			return
		}
	}
	e.fields = append(e.fields, field{name: name, value: v})
	e.changed()
}

type signature struct {
	SeedSignature
}

type image struct {
	SeedImage
}

type mailbox struct {
	SeedSharedMailbox
}

type account struct {
	id, name, created string
	domains           []string

	emps    []*employee // creation order: the list order, stable across pages
	byEmail map[string]*employee

	sigs    map[int64]*signature
	images  map[int64]*image
	mboxes  []*mailbox
	managed []SeedManagedAccount

	nextSig, nextImg, nextManaged int64
	templates                     uint64                         // version of the templates and assignments; see encode.go
	sigList                       atomic.Pointer[signaturesJSON] // the encoded template list
}

type store struct {
	accounts []*account
	byID     map[string]*account
}

func strPtr(s string) *string {
	if s == "" {
		return nil
	}
	return &s
}

func derefStr(p *string) string {
	if p == nil {
		return ""
	}
	return *p
}

// newStore builds the store from a validated seed (deep-copying everything it keeps).
func newStore(seed *Seed) *store {
	st := &store{byID: map[string]*account{}}
	for _, sa := range seed.Accounts {
		a := &account{
			id: sa.AccountId, name: sa.Name, created: sa.Created, domains: slices.Clone(sa.Domains),
			byEmail: make(map[string]*employee, len(sa.Employees)),
			sigs:    map[int64]*signature{},
			images:  map[int64]*image{},
		}
		a.emps = make([]*employee, 0, len(sa.Employees))
		for _, se := range sa.Employees {
			e := &employee{email: strings.TrimSpace(se.Email)}
			e.fields = make([]field, 0, len(coreFields)+len(se.Fields))
			for _, kv := range [][2]string{{"FirstName", se.FirstName}, {"LastName", se.LastName}, {"DisplayName", se.DisplayName}, {"JobTitle", se.JobTitle}, {"Department", se.Department}} {
				e.fields = append(e.fields, field{name: kv[0], value: strPtr(kv[1])})
			}
			for _, f := range se.Fields {
				if strings.EqualFold(f.Name, "Email") {
					continue
				}
				var v *string
				if f.Value != nil {
					s := *f.Value
					v = &s
				}
				e.set(f.Name, v)
			}
			a.emps = append(a.emps, e)
			a.byEmail[emailKey(e.email)] = e
		}
		for _, s := range sa.Signatures {
			a.sigs[s.Id] = &signature{s}
			a.nextSig = max(a.nextSig, s.Id+1)
		}
		for _, as := range sa.Assignments {
			e := a.byEmail[emailKey(as.Email)]
			e.assign(as.SignatureId, as.DefaultNew, as.DefaultReply)
		}
		for _, im := range sa.Images {
			im.Data = slices.Clone(im.Data)
			a.images[im.Id] = &image{im}
			a.nextImg = max(a.nextImg, im.Id+1)
		}
		for _, r := range sa.Rerouting {
			r := r
			a.byEmail[emailKey(r.Email)].rerouting = &r
		}
		for _, m := range sa.SharedMailboxes {
			m.Members = slices.Clone(m.Members)
			if m.SignatureId != nil {
				id := *m.SignatureId
				m.SignatureId = &id
			}
			a.mboxes = append(a.mboxes, &mailbox{m})
		}
		a.managed = slices.Clone(sa.ManagedAccounts)
		a.nextManaged = int64(len(a.managed)) + 1
		a.nextSig = max(a.nextSig, sa.NextSignatureId, 1)
		a.nextImg = max(a.nextImg, sa.NextImageId, 1)
		a.nextManaged = max(a.nextManaged, sa.NextManagedAccount)
		st.accounts = append(st.accounts, a)
		st.byID[a.id] = a
	}
	return st
}

// assign records a template assignment. A template that becomes the default for new mail
// (or replies) takes that role from any other template of the employee.
func (e *employee) assign(sigID int64, defNew, defReply bool) {
	defer e.changed()
	for i := range e.assignments {
		if e.assignments[i].sigID == sigID {
			continue
		}
		if defNew {
			e.assignments[i].defaultNew = false
		}
		if defReply {
			e.assignments[i].defaultReply = false
		}
	}
	for i := range e.assignments {
		if e.assignments[i].sigID == sigID {
			e.assignments[i].defaultNew, e.assignments[i].defaultReply = defNew, defReply
			return
		}
	}
	e.assignments = append(e.assignments, assignment{sigID: sigID, defaultNew: defNew, defaultReply: defReply})
}

func (a *account) mailbox(email string) (int, *mailbox) {
	k := emailKey(email)
	for i, m := range a.mboxes {
		if emailKey(m.Email) == k {
			return i, m
		}
	}
	return -1, nil
}

func (a *account) deleteEmployee(e *employee) {
	delete(a.byEmail, emailKey(e.email))
	if i := slices.Index(a.emps, e); i >= 0 {
		a.emps = slices.Delete(a.emps, i, i+1)
	}
	k := emailKey(e.email)
	for _, m := range a.mboxes {
		m.Members = slices.DeleteFunc(m.Members, func(s string) bool { return emailKey(s) == k })
	}
}

func (a *account) sortedSigIDs() []int64 {
	ids := make([]int64, 0, len(a.sigs))
	for id := range a.sigs {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

func (a *account) sortedImageIDs() []int64 {
	ids := make([]int64, 0, len(a.images))
	for id := range a.images {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}

// snapshot writes the store back out in the Seed format (used by the state file and /_mock/state).
func (st *store) snapshot(includeImageData bool) []SeedAccount {
	out := make([]SeedAccount, 0, len(st.accounts))
	for _, a := range st.accounts {
		sa := SeedAccount{
			AccountId: a.id, Name: a.name, Created: a.created, Domains: slices.Clone(a.domains),
			NextSignatureId: a.nextSig, NextImageId: a.nextImg, NextManagedAccount: a.nextManaged,
		}
		for _, e := range a.emps {
			se := SeedEmployee{Email: e.email}
			for _, f := range e.fields {
				switch f.name {
				case "FirstName":
					se.FirstName = derefStr(f.value)
				case "LastName":
					se.LastName = derefStr(f.value)
				case "DisplayName":
					se.DisplayName = derefStr(f.value)
				case "JobTitle":
					se.JobTitle = derefStr(f.value)
				case "Department":
					se.Department = derefStr(f.value)
				default:
					var v *string
					if f.value != nil {
						s := *f.value
						v = &s
					}
					se.Fields = append(se.Fields, SeedField{Name: f.name, Value: v})
				}
			}
			sa.Employees = append(sa.Employees, se)
			for _, as := range e.assignments {
				sa.Assignments = append(sa.Assignments, SeedAssignment{SignatureId: as.sigID, Email: e.email, DefaultNew: as.defaultNew, DefaultReply: as.defaultReply})
			}
			if e.rerouting != nil {
				sa.Rerouting = append(sa.Rerouting, *e.rerouting)
			}
		}
		for _, id := range a.sortedSigIDs() {
			sa.Signatures = append(sa.Signatures, a.sigs[id].SeedSignature)
		}
		for _, id := range a.sortedImageIDs() {
			im := a.images[id].SeedImage
			if includeImageData {
				im.Data = slices.Clone(im.Data)
			} else {
				im.Data = nil
			}
			sa.Images = append(sa.Images, im)
		}
		for _, m := range a.mboxes {
			c := m.SeedSharedMailbox
			c.Members = slices.Clone(c.Members)
			sa.SharedMailboxes = append(sa.SharedMailboxes, c)
		}
		sa.ManagedAccounts = slices.Clone(a.managed)
		out = append(out, sa)
	}
	return out
}

// managedAccountID returns a deterministic GUID-shaped id for the n-th created managed account.
func managedAccountID(accountID string, n int64) string {
	var h uint32 = 2166136261
	for i := 0; i < len(accountID); i++ {
		h = (h ^ uint32(accountID[i])) * 16777619
	}
	return fmt.Sprintf("%08x-0000-4000-8000-%012x", h, n)
}
