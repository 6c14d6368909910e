#!/usr/bin/env bash
# Checks the OData feed with a real OData v4 client library, as Power BI's "OData feed"
# connector would use it: a server on a temporary SQLite database filled by `seed-demo`, a token
# from `styra token`, then `scripts/odata_client_check.py` (python-odata from PyPI) reads
# `$metadata`, loads every entity set following `@odata.nextLink`, and runs `$filter`, `$select`
# and `$count` queries. Exits non-zero on any failure.
#
# Run by hand (not in CI: it downloads python-odata into a virtualenv):
#   scripts/odata-client-check.sh
# STYRA_BIN=path/to/styra   use this binary instead of `cargo build` (honours CARGO_TARGET_DIR)
# ODATA_VENV=dir            reuse a virtualenv that has python-odata (default: a temp one)
# ODATA_PAGE_SIZE=n         server page size (default 97, so every set spans several pages)
# STYRA_ODATA_KEEP=1        keep the work dir (server log)
set -euo pipefail
cd "$(dirname "$0")/.."

work=$(mktemp -d -t styra-odata-check.XXXXXX)
server=
cleanup() {
    if [[ -n $server ]]; then kill "$server" 2>/dev/null || true; wait "$server" 2>/dev/null || true; fi
    if [[ ${STYRA_ODATA_KEEP:-} == 1 ]]; then echo "odata-check: kept $work" >&2; else rm -rf "$work"; fi
}
trap cleanup EXIT

bin=${STYRA_BIN:-}
if [[ -z $bin ]]; then
    cargo build --quiet --bin styra
    cp "${CARGO_TARGET_DIR:-target}/debug/styra" "$work/styra"
    bin=$work/styra
fi

venv=${ODATA_VENV:-$work/venv}
if [[ ! -x $venv/bin/python ]]; then
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check 'python-odata==0.8.1'
fi

export STYRA_DATA_DIR=$work/data
"$bin" seed-demo >"$work/seed.log" 2>&1 || { cat "$work/seed.log" >&2; exit 1; }
token=$("$bin" token --sub odata-check --role admin --ttl 1h)

STYRA_ODATA_PAGE_SIZE=${ODATA_PAGE_SIZE:-97} "$bin" --bind 127.0.0.1:0 >"$work/server.log" 2>&1 &
server=$!
port=
for _ in $(seq 100); do
    port=$(grep -o '"message":"Styra is serving"[^}]*"port":[0-9]*' "$work/server.log" | grep -o '[0-9]*$' || true)
    [[ -n $port ]] && break
    kill -0 "$server" 2>/dev/null || { cat "$work/server.log" >&2; echo "odata-check: server exited" >&2; exit 1; }
    sleep 0.1
done
[[ -n $port ]] || { cat "$work/server.log" >&2; echo "odata-check: server did not start" >&2; exit 1; }

"$venv/bin/python" scripts/odata_client_check.py "http://127.0.0.1:$port/odata/" "$token" \
    "${ODATA_PAGE_SIZE:-97}"
