package mockserver

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
)

//go:embed seed.json
var embeddedSeed []byte

// Seed is a complete data set: accounts with their employees, templates, images, rerouting
// states, shared mailboxes and managed accounts, plus extra clients. It is JSON-serialisable
// (PascalCase, like Xink); `xinkmock --seed FILE` reads this format, and the state file and
// GET /_mock/state use it too.
type Seed struct {
	// Accounts holds the accounts; the first one is where clients without an AccountID live.
	Accounts []SeedAccount `json:"Accounts"`
	// Clients are extra clients; the demo client is always added unless listed here.
	Clients []Client `json:"Clients,omitempty"`
}

// SeedAccount is one Xink account and everything in it.
type SeedAccount struct {
	AccountId       string               `json:"AccountId"`
	Name            string               `json:"Name"`
	Domains         []string             `json:"Domains,omitempty"`
	Created         string               `json:"Created,omitempty"`
	Employees       []SeedEmployee       `json:"Employees,omitempty"`
	Signatures      []SeedSignature      `json:"Signatures,omitempty"`
	Assignments     []SeedAssignment     `json:"Assignments,omitempty"`
	Images          []SeedImage          `json:"Images,omitempty"`
	Rerouting       []SeedRerouting      `json:"Rerouting,omitempty"`
	SharedMailboxes []SeedSharedMailbox  `json:"SharedMailboxes,omitempty"`
	ManagedAccounts []SeedManagedAccount `json:"ManagedAccounts,omitempty"`
	// NextSignatureId, NextImageId and NextManagedAccount keep id counters across a state
	// file round trip; zero means "one past the largest id in the seed".
	NextSignatureId    int64 `json:"NextSignatureId,omitempty"`
	NextImageId        int64 `json:"NextImageId,omitempty"`
	NextManagedAccount int64 `json:"NextManagedAccount,omitempty"`
}

// SeedEmployee is an employee and their field values. The named fields are the ones the
// Employee schema carries; Fields holds the others (Phone, Mobile, City, custom fields...).
// An empty string means null.
type SeedEmployee struct {
	Email       string      `json:"Email"`
	FirstName   string      `json:"FirstName,omitempty"`
	LastName    string      `json:"LastName,omitempty"`
	DisplayName string      `json:"DisplayName,omitempty"`
	JobTitle    string      `json:"JobTitle,omitempty"`
	Department  string      `json:"Department,omitempty"`
	Fields      []SeedField `json:"Fields,omitempty"`
}

// SeedField is one field value; a nil Value is null.
type SeedField struct {
	Name  string  `json:"Name"`
	Value *string `json:"Value"`
}

// SeedSignature is a signature template with ((FieldName)) placeholders.
type SeedSignature struct {
	Id        int64  `json:"Id"`
	Name      string `json:"Name"`
	Html      string `json:"Html"`
	PlainText string `json:"PlainText,omitempty"`
	Modified  string `json:"Modified,omitempty"`
}

// SeedAssignment assigns a template to an employee.
type SeedAssignment struct {
	SignatureId  int64  `json:"SignatureId"`
	Email        string `json:"Email"`
	DefaultNew   bool   `json:"DefaultNew"`
	DefaultReply bool   `json:"DefaultReply"`
}

// SeedImage is a stored image; Data is base64 in JSON.
type SeedImage struct {
	Id          int64  `json:"Id"`
	Name        string `json:"Name"`
	ContentType string `json:"ContentType"`
	Data        []byte `json:"Data"`
	Created     string `json:"Created,omitempty"`
}

// SeedRerouting is one employee's rerouting state.
type SeedRerouting struct {
	Email    string `json:"Email"`
	Enabled  bool   `json:"Enabled"`
	Modified string `json:"Modified,omitempty"`
}

// SeedSharedMailbox is a shared mailbox.
type SeedSharedMailbox struct {
	Email       string   `json:"Email"`
	DisplayName string   `json:"DisplayName,omitempty"`
	Members     []string `json:"Members,omitempty"`
	SignatureId *int64   `json:"SignatureId,omitempty"`
}

// SeedManagedAccount is a partner's client account.
type SeedManagedAccount struct {
	AccountId     string `json:"AccountId"`
	Name          string `json:"Name"`
	DataCenterID  string `json:"DataCenterID"`
	AdminEmail    string `json:"AdminEmail,omitempty"`
	EmployeeCount int32  `json:"EmployeeCount,omitempty"`
	Created       string `json:"Created,omitempty"`
}

// DefaultSeed returns the embedded default data set (a fresh deep copy on every call):
// "Nordlys Consulting ApS" with 25 employees whose names use accents and Greek, Japanese,
// Cyrillic, Arabic, Hebrew, Korean, Chinese and Devanagari scripts, their fields, 3
// templates with assignments, 2 shared mailboxes, rerouting states and 2 images; and a
// partner account with 2 managed accounts, reached with the partner client listed in Clients.
func DefaultSeed() *Seed {
	var s Seed
	if err := json.Unmarshal(embeddedSeed, &s); err != nil {
		// The embedded file is tested; failing here means the binary was built from a broken tree.
		panic(fmt.Sprintf("mockserver: embedded seed.json is invalid: %v", err))
	}
	return &s
}

// ParseSeed decodes and validates a seed in the JSON format DefaultSeed uses.
func ParseSeed(data []byte) (*Seed, error) {
	var s Seed
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	if err := s.validate(); err != nil {
		return nil, err
	}
	return &s, nil
}

// GenerateEmployees returns n deterministic synthetic employees (emp00001@example.net ...)
// for paging and performance tests. Append them to a seed account's Employees.
func GenerateEmployees(n int) []SeedEmployee {
	first := []string{"Ada", "Björn", "Chloé", "Dmitri", "Eleni", "Fatima", "Gustav", "Hanako", "Ingrid", "José"}
	last := []string{"Ångström", "Brontë", "Çelik", "Dvořák", "Eriksson", "Fjällström", "García", "Høeg", "Ivanova", "Jørgensen"}
	out := make([]SeedEmployee, n)
	for i := range n {
		f, l := first[i%len(first)], last[(i/len(first))%len(last)]
		out[i] = SeedEmployee{
			Email:       fmt.Sprintf("emp%05d@example.net", i+1),
			FirstName:   f,
			LastName:    l,
			DisplayName: f + " " + l,
			JobTitle:    "Engineer",
			Department:  fmt.Sprintf("Dept %d", i%7),
		}
	}
	return out
}

func (s *Seed) clone() (*Seed, error) {
	b, err := json.Marshal(s)
	if err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	var c Seed
	if err := json.Unmarshal(b, &c); err != nil {
		return nil, fmt.Errorf("seed: %w", err)
	}
	return &c, nil
}

// validate checks references and uniqueness, naming the offending item.
func (s *Seed) validate() error {
	if len(s.Accounts) == 0 {
		return errors.New("seed: no accounts")
	}
	accIDs := map[string]bool{}
	for ai, a := range s.Accounts {
		where := fmt.Sprintf("seed: Accounts[%d]", ai)
		if a.AccountId == "" {
			return fmt.Errorf("%s: AccountId is empty", where)
		}
		if accIDs[a.AccountId] {
			return fmt.Errorf("%s: duplicate AccountId %q", where, a.AccountId)
		}
		accIDs[a.AccountId] = true
		emails := map[string]bool{}
		for i, e := range a.Employees {
			k := emailKey(e.Email)
			if len(strings.TrimSpace(e.Email)) < 3 {
				return fmt.Errorf("%s.Employees[%d]: Email %q is too short", where, i, e.Email)
			}
			if emails[k] {
				return fmt.Errorf("%s.Employees[%d]: duplicate Email %q", where, i, e.Email)
			}
			emails[k] = true
			for j, f := range e.Fields {
				if f.Name == "" {
					return fmt.Errorf("%s.Employees[%d].Fields[%d]: Name is empty", where, i, j)
				}
			}
		}
		sigs := map[int64]bool{}
		for i, sg := range a.Signatures {
			if sg.Id < 1 || sigs[sg.Id] {
				return fmt.Errorf("%s.Signatures[%d]: Id %d is not positive or not unique", where, i, sg.Id)
			}
			if sg.Name == "" || sg.Html == "" {
				return fmt.Errorf("%s.Signatures[%d]: Name and Html are required", where, i)
			}
			sigs[sg.Id] = true
		}
		for i, as := range a.Assignments {
			if !sigs[as.SignatureId] {
				return fmt.Errorf("%s.Assignments[%d]: unknown SignatureId %d", where, i, as.SignatureId)
			}
			if !emails[emailKey(as.Email)] {
				return fmt.Errorf("%s.Assignments[%d]: unknown employee %q", where, i, as.Email)
			}
		}
		imgs := map[int64]bool{}
		for i, im := range a.Images {
			if im.Id < 1 || imgs[im.Id] {
				return fmt.Errorf("%s.Images[%d]: Id %d is not positive or not unique", where, i, im.Id)
			}
			if !slices.Contains(imageTypes, im.ContentType) {
				return fmt.Errorf("%s.Images[%d]: ContentType %q is not one of %v", where, i, im.ContentType, imageTypes)
			}
			imgs[im.Id] = true
		}
		for i, r := range a.Rerouting {
			if !emails[emailKey(r.Email)] {
				return fmt.Errorf("%s.Rerouting[%d]: unknown employee %q", where, i, r.Email)
			}
		}
		mbs := map[string]bool{}
		for i, m := range a.SharedMailboxes {
			k := emailKey(m.Email)
			if len(m.Email) < 3 || mbs[k] {
				return fmt.Errorf("%s.SharedMailboxes[%d]: Email %q is too short or not unique", where, i, m.Email)
			}
			mbs[k] = true
			for _, mem := range m.Members {
				if !emails[emailKey(mem)] {
					return fmt.Errorf("%s.SharedMailboxes[%d]: unknown member %q", where, i, mem)
				}
			}
			if m.SignatureId != nil && !sigs[*m.SignatureId] {
				return fmt.Errorf("%s.SharedMailboxes[%d]: unknown SignatureId %d", where, i, *m.SignatureId)
			}
		}
		mas := map[string]bool{}
		for i, m := range a.ManagedAccounts {
			if m.AccountId == "" || mas[m.AccountId] {
				return fmt.Errorf("%s.ManagedAccounts[%d]: AccountId %q is empty or not unique", where, i, m.AccountId)
			}
			if !slices.Contains(dataCenters, m.DataCenterID) {
				return fmt.Errorf("%s.ManagedAccounts[%d]: DataCenterID %q is not one of %v", where, i, m.DataCenterID, dataCenters)
			}
			mas[m.AccountId] = true
		}
	}
	for i := range s.Clients {
		if err := s.Clients[i].normalize(); err != nil {
			return fmt.Errorf("seed: Clients[%d]: %w", i, err)
		}
		if s.Clients[i].AccountID != "" && !accIDs[s.Clients[i].AccountID] {
			return fmt.Errorf("seed: Clients[%d]: unknown AccountID %q", i, s.Clients[i].AccountID)
		}
	}
	return nil
}

func emailKey(e string) string { return strings.ToLower(strings.TrimSpace(e)) }
