// Package contracttests holds the spec, the generated client, the mock and
// recorded traffic against each other.
//
// One scenario list (Scenarios) covers every operation of openapi/xink.yaml,
// happy paths and the main error paths. The scenarios drive the client
// facade (package xink); the error paths the facade refuses to send drive the
// generated client (package xinkapi). The list runs against three targets:
//
//   - the in-process mock (mockserver/mocktest), always;
//   - the recordings in testdata/recordings, replayed by cassette.Replayer,
//     always, with no network;
//   - the live Xink API, behind the `live` build tag, with credentials from
//     the environment (never in CI).
//
// Every response any target gives is validated against the spec on its raw
// bytes and decoded into the generated types and re-encoded without loss
// (ValidatingTransport). Parity replays each recorded request against the
// mock and compares status and JSON shape. Coverage fails, naming the gap,
// when an operation lacks a mock handler, a scenario or a recording. Record
// mode (Record, `make record`) runs the scenarios against a real upstream
// through the redacting cassette.Recorder. The drift report lives in the
// conform package and the xinkdrift command.
package contracttests
