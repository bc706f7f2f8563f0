#!/usr/bin/env bash
# quiet.sh CMD ARGS...: run a command and show its output only if it fails
# (the Makefile uses it to hide Redocly CLI's Node 20 deprecation banner).
set -u
out="$("$@" 2>&1)"
rc=$?
if [ "$rc" -ne 0 ]; then
	printf '%s\n' "$out"
	echo "FAILED (exit $rc): $*" >&2
fi
exit "$rc"
