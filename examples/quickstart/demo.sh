#!/usr/bin/env bash
# demo.sh: start the xinkmock binary on 127.0.0.1 with a free port, wait until it listens, run
# the quickstart against it, stop the mock, and exit with the quickstart's status.
# Used by `make demo`. GO may name the go command.
set -uo pipefail

GO=${GO:-go}
root=$(cd "$(dirname "$0")/../.." && pwd)
tmp=$(mktemp -d)
mock_pid=""
cleanup() {
	if [[ -n "$mock_pid" ]] && kill -0 "$mock_pid" 2>/dev/null; then
		kill "$mock_pid" 2>/dev/null
		wait "$mock_pid" 2>/dev/null
	fi
	rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

cd "$root" || exit 1
echo "demo: building xinkmock and the quickstart"
"$GO" build -o "$tmp/xinkmock" ./mockserver/cmd/xinkmock || exit 1
"$GO" build -o "$tmp/quickstart" ./examples/quickstart || exit 1

"$tmp/xinkmock" --addr 127.0.0.1:0 --strict --log-level warn >"$tmp/mock.out" 2>"$tmp/mock.err" &
mock_pid=$!

# The banner is printed once the listener is open; wait for it (up to ~10s).
url=""
for _ in $(seq 1 100); do
	url=$(sed -n 's/^xinkmock listening on \(http[^ ]*\).*/\1/p' "$tmp/mock.out" | head -n1)
	[[ -n "$url" ]] && break
	if ! kill -0 "$mock_pid" 2>/dev/null; then
		echo "demo: the mock exited early:" >&2
		cat "$tmp/mock.out" "$tmp/mock.err" >&2
		exit 1
	fi
	sleep 0.1
done
if [[ -z "$url" ]]; then
	echo "demo: the mock did not report its address in time:" >&2
	cat "$tmp/mock.out" "$tmp/mock.err" >&2
	exit 1
fi
echo "demo: mock listening on $url (pid $mock_pid)"
echo

XINK_AUTH_URL="$url" \
XINK_CLIENT_ID='b6b5a1c3-8e07-409f-8014-e9207b83e442@SRV' \
XINK_CLIENT_SECRET='xink-mock-secret' \
	"$tmp/quickstart"
status=$?

echo
if [[ -s "$tmp/mock.err" ]]; then
	echo "demo: mock log (warnings and errors):"
	cat "$tmp/mock.err"
fi
echo "demo: quickstart exited with status $status; stopping the mock"
exit "$status"
