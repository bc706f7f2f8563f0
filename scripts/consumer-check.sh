#!/usr/bin/env bash
# consumer-check.sh: prove examples/consumer works the way a consumer repo would.
#  1. `go generate ./...` from the committed spec reproduces the committed code;
#  2. generating from the published bundles (dist/xink.yaml, dist/xink.json)
#     gives byte-identical code, so pointing at either is the same;
#  3. it vets, tests and builds as its own module;
#  4. run against the xinkmock binary on 127.0.0.1 it gets a token, discovers
#     the APIRoot and lists employees; with a wrong secret it fails cleanly
#     without printing the secret.
# Run from the repository root (make test-consumer). Needs `make publish` first.
set -euo pipefail

CONSUMER=examples/consumer
GEN=$CONSUMER/xinkclient

tmp=$(mktemp -d)
mock_pid=""
cleanup() {
	if [ -n "$mock_pid" ] && kill -0 "$mock_pid" 2>/dev/null; then
		kill "$mock_pid" 2>/dev/null || true
		for _ in $(seq 1 50); do kill -0 "$mock_pid" 2>/dev/null || break; sleep 0.1; done
		kill -9 "$mock_pid" 2>/dev/null || true
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM
fail() { echo "consumer-check: FAIL: $*" >&2; exit 1; }

for f in dist/xink.yaml dist/xink.json; do
	[ -s "$f" ] || fail "$f missing: run make publish first"
done

echo "consumer-check: go generate in $CONSUMER"
(cd "$CONSUMER" && go generate ./...)
if ! git diff --quiet -- "$GEN" || [ -n "$(git status --porcelain --untracked-files=all -- "$GEN")" ]; then
	git status --porcelain --untracked-files=all -- "$GEN"
	fail "$GEN differs from a fresh go generate: commit the regenerated code"
fi

for bundle in dist/xink.yaml dist/xink.json; do
	sed "s|^output: .*|output: $tmp/from-bundle.gen.go|" "$GEN/oapi-codegen.yaml" >"$tmp/cfg.yaml"
	(cd "$GEN" && go tool oapi-codegen -config "$tmp/cfg.yaml" "$OLDPWD/$bundle")
	cmp -s "$tmp/from-bundle.gen.go" "$GEN/xinkclient.gen.go" ||
		fail "code generated from $bundle differs from code generated from openapi/xink.yaml"
	echo "consumer-check: $bundle generates the same code as openapi/xink.yaml"
done

echo "consumer-check: vet, test, build"
(cd "$CONSUMER" && go vet ./... && go test -count=1 ./... && go build -o "$tmp/xink-consumer" .)

[ -d mockserver/cmd/xinkmock ] || fail "mockserver/cmd/xinkmock does not exist yet: cannot run the consumer against the mock"
go build -o "$tmp/xinkmock" ./mockserver/cmd/xinkmock
"$tmp/xinkmock" --addr 127.0.0.1:0 >"$tmp/mock.log" 2>&1 &
mock_pid=$!
url="" CLIENT_ID="" CLIENT_SECRET=""
for _ in $(seq 1 100); do # up to 10 s for the banner: address, then the demo client
	url=$(sed -n -E 's|^xinkmock listening on (http://127\.0\.0\.1:[0-9]+)$|\1|p' "$tmp/mock.log" | head -n1)
	CLIENT_ID=$(awk '$1 == "demo" && $2 == "client" && $3 == "id" {print $4; exit}' "$tmp/mock.log")
	CLIENT_SECRET=$(awk '$1 == "demo" && $2 == "client" && $3 == "secret" {print $4; exit}' "$tmp/mock.log")
	[ -n "$url" ] && [ -n "$CLIENT_ID" ] && [ -n "$CLIENT_SECRET" ] && break
	kill -0 "$mock_pid" 2>/dev/null || { cat "$tmp/mock.log"; fail "xinkmock exited"; }
	sleep 0.1
done
[ -n "$url" ] && [ -n "$CLIENT_ID" ] && [ -n "$CLIENT_SECRET" ] || {
	cat "$tmp/mock.log"
	fail "no 'xinkmock listening on http://127.0.0.1:PORT' and demo client in the xinkmock banner within 10 s"
}
echo "consumer-check: xinkmock at $url, demo client $CLIENT_ID"

if ! XINK_AUTH_URL="$url" XINK_CLIENT_ID="$CLIENT_ID" XINK_CLIENT_SECRET="$CLIENT_SECRET" \
	"$tmp/xink-consumer" -timeout 15s >"$tmp/out" 2>&1; then
	cat "$tmp/out"; tail -20 "$tmp/mock.log"; fail "the consumer failed against the mock"
fi
cat "$tmp/out"
grep -q -E '^data center [A-Z]{2}, APIRoot http://' "$tmp/out" || fail "no discovery line in the consumer's output"
grep -q -E '^[1-9][0-9]* employees \([1-9][0-9]* on this page\)' "$tmp/out" || fail "the consumer listed no employees"
grep -q -E '^  [^ ]+@[^ ]+' "$tmp/out" || fail "no employee email in the consumer's output"

# The mock's journal must show the three calls, made by the demo client, answered 200.
curl -sf --max-time 5 "$url/_mock/journal" >"$tmp/journal.json" || fail "GET $url/_mock/journal failed"
CLIENT_ID="$CLIENT_ID" node -e '
const j = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
const want = ["getToken", "getDiscovery", "listEmployees"];
const seen = (j.Entries || []).filter((e) => e.Status === 200 && e.ClientID === process.env.CLIENT_ID).map((e) => e.OperationID);
const missing = want.filter((op) => !seen.includes(op));
if (missing.length) { console.error("journal lacks 200s from the demo client for: " + missing.join(", ") + "; saw " + JSON.stringify(seen)); process.exit(1); }
console.log("consumer-check: mock journal shows " + want.join(", ") + " answered 200 for the demo client");
' "$tmp/journal.json" || fail "the mock did not see the consumer's calls"

wrong="wrong-$RANDOM-secret"
if XINK_AUTH_URL="$url" XINK_CLIENT_ID="$CLIENT_ID" XINK_CLIENT_SECRET="$wrong" \
	"$tmp/xink-consumer" -timeout 15s >"$tmp/bad" 2>&1; then
	cat "$tmp/bad"; fail "a wrong secret was accepted"
fi
grep -q 'token: HTTP 401' "$tmp/bad" || { cat "$tmp/bad"; fail "a wrong secret did not give 'token: HTTP 401'"; }
if grep -q "$wrong" "$tmp/bad"; then fail "the consumer printed the client secret"; fi
echo "consumer-check: wrong secret -> $(cat "$tmp/bad")"
echo "consumer-check: ok"
