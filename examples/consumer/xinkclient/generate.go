// Package xinkclient is the Xink client this example generates for itself
// with oapi-codegen, exactly as a consumer repository would.
//
// The input is xink-go's committed spec, openapi/xink.yaml. `make publish`
// bundles that same file into dist/xink.yaml; dist/ is not committed, and the
// source spec is already a single self-contained file, so generating from it
// gives the same code from a clean clone (make test-consumer proves the two
// outputs are identical). In your own repository, copy the published
// xink.yaml next to this file and point the line below at it.
package xinkclient

//go:generate go tool oapi-codegen -config oapi-codegen.yaml ../../../openapi/xink.yaml
