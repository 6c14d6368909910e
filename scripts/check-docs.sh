#!/usr/bin/env bash
# Checks in headless Chromium that /docs/ renders the bundled Swagger UI with no network access
# beyond the server itself: the "Styra API" title, one tag section per area and one operation per
# operation id in /openapi.json, no spec errors, no failed loads, no console messages.
# Run by hand (not in CI): `scripts/check-docs.sh`. Needs Debian's chromium
# (`apt-get install chromium`).
#
# STYRA_BIN=path/to/styra   use this binary instead of building (`cargo build`, honouring
#                           CARGO_TARGET_DIR; the binary is copied at once, since a shared
#                           target dir may be rebuilt from another checkout)
# STYRA_DOCS_SCREENSHOT=x.png  also save a 1400x2000 screenshot
# STYRA_DOCS_KEEP=1         keep the work dir (server log, DOM, Chromium log)
set -euo pipefail
cd "$(dirname "$0")/.."

chromium=${CHROMIUM:-$(command -v chromium || command -v chromium-browser || true)}
if [[ -z $chromium ]]; then
    echo "check-docs: chromium not found (apt-get install chromium, or set CHROMIUM)" >&2
    exit 2
fi

work=$(mktemp -d -t styra-docs-check.XXXXXX)
server=
cleanup() {
    if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    if [[ ${STYRA_DOCS_KEEP:-} == 1 ]]; then echo "check-docs: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

bin=${STYRA_BIN:-}
if [[ -z $bin ]]; then
    cargo build --quiet --bin styra
    cp "${CARGO_TARGET_DIR:-target}/debug/styra" "$work/styra"
    bin=$work/styra
fi

# Port 0: the server picks a free port and logs it.
"$bin" --data-dir "$work/data" --bind 127.0.0.1:0 >"$work/server.log" 2>&1 &
server=$!
port=
for _ in $(seq 100); do
    port=$(grep -o '"message":"Styra is serving"[^}]*"port":[0-9]*' "$work/server.log" | grep -o '[0-9]*$' || true)
    [[ -n $port ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "check-docs: server exited" >&2; exit 1; }
    sleep 0.1
done
[[ -n $port ]] || { cat "$work/server.log" >&2; echo "check-docs: server did not start" >&2; exit 1; }
base=http://127.0.0.1:$port
curl -fsS "$base/openapi.json" >"$work/openapi.json"
logged_before=$(wc -l <"$work/server.log")

# Every host but the server resolves to nothing, so a CDN reference would fail to load.
browse() {
    "$chromium" --headless --no-sandbox --disable-gpu --disable-quic --no-first-run \
        --disable-background-networking --disable-component-update --disable-sync \
        --host-resolver-rules="MAP * ~NOTFOUND, EXCLUDE 127.0.0.1" \
        --user-data-dir="$work/profile-$1" --virtual-time-budget=10000 --window-size=1400,2000 \
        --enable-logging=stderr --v=0 "${@:2}" "$base/docs/"
}
browse dom --dump-dom >"$work/dom.html" 2>"$work/chromium.log"
if [[ -n ${STYRA_DOCS_SCREENSHOT:-} ]]; then
    browse shot --screenshot="$STYRA_DOCS_SCREENSHOT" >/dev/null 2>&1
    echo "check-docs: screenshot in $STYRA_DOCS_SCREENSHOT"
fi

failures=0
fail() {
    echo "check-docs: FAIL: $*" >&2
    failures=$((failures + 1))
}
expect() {
    grep -q -- "$1" "$work/dom.html" || fail "the rendered page lacks $2"
}

expect '<h2 class="title">Styra API' 'the "Styra API" title'
expect 'id="operations-tag-organisations"' 'the organisations tag'
expect 'id="operations-tag-activities"' 'the activities tag'
expect 'id="operations-objects-list_objects"' 'the list_objects operation'
expect 'id="operations-activities-list_activities"' 'the list_activities operation'
if grep -q 'class="[^"]*errors-wrapper' "$work/dom.html"; then
    fail "Swagger UI shows errors: $(grep -o 'errors-wrapper.*' "$work/dom.html" | sed 's/<[^>]*>/ /g' | head -c 500)"
fi

# One rendered operation per operation id in the spec.
spec_ops=$(grep -o '"operationId"' "$work/openapi.json" | wc -l)
dom_ops=$(grep -o 'id="operations-[a-z0-9-]*-[a-z0-9_]*"' "$work/dom.html" | grep -vc 'id="operations-tag-' || true)
if [[ $dom_ops -ne $spec_ops ]]; then
    fail "the page shows $dom_ops operations, /openapi.json has $spec_ops"
fi

# Failed loads: every request the browser made must have succeeded (the server logs each one).
requests=$(tail -n +"$((logged_before + 1))" "$work/server.log" | grep '"message":"request"' || true)
[[ -n $requests ]] || fail "the server saw no requests from Chromium"
bad=$(grep -E '"status":(4|5)[0-9][0-9]' <<<"$requests" || true)
[[ -z $bad ]] || fail "failed loads:"$'\n'"$bad"
grep -q '"path":"/openapi.json"' <<<"$requests" || fail "the page never loaded /openapi.json"
console=$(grep ':CONSOLE' "$work/chromium.log" || true)
[[ -z $console ]] || fail "console messages:"$'\n'"$console"

loaded=$(grep -o '"path":"[^"]*","route":"[^"]*","status":[0-9]*' <<<"$requests" \
    | sed -E 's/"path":"([^"]*)".*"status":([0-9]*)/\1 \2/' | sort -u | tr '\n' ' ')
if [[ $failures -gt 0 ]]; then
    echo "check-docs: $failures check(s) failed; loads: $loaded" >&2
    STYRA_DOCS_KEEP=1
    exit 1
fi
echo "check-docs: OK: Styra API with $dom_ops operations ($spec_ops in the spec); loads: $loaded"
