// Package openapi embeds the hand-written Xink OpenAPI document, xink.yaml,
// the single source of truth that generated/, the mock and the contract
// tests are built from.
package openapi

import _ "embed"

// YAML is the Xink OpenAPI 3.0.3 document exactly as committed.
//
//go:embed xink.yaml
var YAML []byte

// Provenance values carried by every operation as x-xink-provenance.
const (
	// ProvenanceDocumented means the route and the scope are stated by Xink's reference.
	ProvenanceDocumented = "documented"
	// ProvenancePartlyDocumented means the route is stated and the payload inferred.
	ProvenancePartlyDocumented = "partly-documented"
	// ProvenanceInferred means the operation is the project's working model.
	ProvenanceInferred = "inferred"
)
