package mockserver

import (
	"github.com/oapi-codegen/nullable"

	"github.com/xink-go/xink-go/generated/xinkserver"
)

type nullableString = nullable.Nullable[string]

// Envelope constructors: every error response a handler returns goes through one of these,
// so the body is always the spec's envelope and the status is always set (pitfalls row 20).

func notFound(msg string) xinkserver.NotFoundJSONResponse {
	return xinkserver.NotFoundJSONResponse(envelope(msg))
}

func badRequest(msg string) xinkserver.BadRequestJSONResponse {
	return xinkserver.BadRequestJSONResponse(envelope(msg))
}

func conflict(msg string) xinkserver.ConflictJSONResponse {
	return xinkserver.ConflictJSONResponse(envelope(msg))
}

func ok() xinkserver.OkJSONResponse {
	return xinkserver.OkJSONResponse{Success: true}
}

// nstr turns a *string into a nullable that is null when p is nil.
func nstr(p *string) nullableString {
	var n nullableString
	if p == nil {
		n.SetNull()
	} else {
		n.Set(*p)
	}
	return n
}

// nval is a set nullable.
func nval[T any](v T) nullable.Nullable[T] {
	var n nullable.Nullable[T]
	n.Set(v)
	return n
}

// nullIfEmpty is null for "" and the value otherwise.
func nullIfEmpty(s string) nullableString {
	var n nullableString
	if s == "" {
		n.SetNull()
	} else {
		n.Set(s)
	}
	return n
}

func ptr[T any](v T) *T { return &v }

type nullableString64 = nullable.Nullable[int64]
