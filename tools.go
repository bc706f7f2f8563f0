//go:build tools

// Package tools pins the code generator in go.mod, so that `go run` of it
// (see generated/generate.go) uses exactly the version this module requires
// and nothing has to be installed globally.
package tools

import (
	_ "github.com/oapi-codegen/oapi-codegen/v2/cmd/oapi-codegen"
)
