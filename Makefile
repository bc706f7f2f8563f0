# xink-go: every target has a "## description" so that `make help` lists it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO        ?= go
NPM_BIN   := node_modules/.bin
SPEC      := openapi/xink.yaml
GEN_DIRS  := generated/xinkapi generated/xinkserver

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  %-18s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(NPM_BIN)/redocly: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

.PHONY: tools
tools: $(NPM_BIN)/redocly ## Install the pinned npm tools (npm ci) and warm the Go module cache
	$(GO) mod download

.PHONY: generate
generate: ## Regenerate generated/ from the spec (stale files removed first)
	rm -f $(addsuffix /*.gen.go,$(GEN_DIRS))
	$(GO) generate ./generated/...

.PHONY: check-generated
check-generated: generate ## Fail if generated/ differs from a fresh generation (untracked files too)
	@if ! git diff --quiet -- generated/ || [ -n "$$(git status --porcelain --untracked-files=all -- generated/)" ]; then \
		echo "generated/ is stale: run 'make generate' and commit the result"; \
		git status --porcelain --untracked-files=all -- generated/; git --no-pager diff --stat -- generated/; exit 1; \
	fi
	@echo "generated/ is fresh"

.PHONY: fmt-check
fmt-check: ## Fail if any Go file is not gofmt-formatted
	@out="$$(gofmt -l $$(git ls-files '*.go'; git ls-files --others --exclude-standard '*.go'))"; \
	if [ -n "$$out" ]; then echo "not gofmt-formatted:"; echo "$$out"; exit 1; fi

.PHONY: vet
vet: ## go vet ./...
	$(GO) vet ./...

.PHONY: lint-spec
lint-spec: $(NPM_BIN)/redocly ## Lint the spec with Redocly CLI (ruleset in redocly.yaml; zero errors, zero warnings)
	$(REDOCLY) lint --max-problems 200 --format stylish $(SPEC)
	@echo "lint-spec: $(SPEC) has no problems (Redocly, redocly.yaml)"

.PHONY: tidy-check
tidy-check: ## Fail if go.mod/go.sum are not tidy
	$(GO) mod tidy -diff

.PHONY: lint
lint: fmt-check vet tidy-check lint-spec ## gofmt, go vet, go mod tidy -diff and the spec linter

.PHONY: test
test: lint check-generated test-go test-xlang check-breaking test-consumer ## Everything CI runs: lint, generated code fresh, go test -race, cross-language, breaking-change gate, consumer example

.PHONY: test-go
test-go: ## go test -race ./... (unit, mock, client, contract tests; benchmarks only compile)
	$(GO) test -race -count=1 ./...

.PHONY: run
run: ## Start the mock (xinkmock) on 127.0.0.1:8080 with its embedded seed data
	$(GO) run ./mockserver/cmd/xinkmock $(ARGS)

# --- publish targets ---
# The spec as a product: bundle + HTML docs in dist/, proof that other
# languages' tools consume it, a breaking-change gate, a Go consumer example.
DIST          := dist
REDOCLY_ENV   := REDOCLY_TELEMETRY=off REDOCLY_SUPPRESS_UPDATE_NOTICE=true
OASDIFF_DIR   := tools/oasdiff
CONSUMER_DIR  := examples/consumer
REDOCLY       := $(REDOCLY_ENV) scripts/quiet.sh $(NPM_BIN)/redocly
SPEC_VERSION   = $(shell awk '/^  version:/ {print $$2; exit}' $(SPEC))

.PHONY: publish
publish: $(NPM_BIN)/redocly ## Write dist/: bundled spec (xink.yaml, xink.json), offline HTML docs (xink.html), CHANGELOG.md
	@mkdir -p $(DIST)
	rm -f $(DIST)/xink.yaml $(DIST)/xink.json $(DIST)/xink.html $(DIST)/CHANGELOG.md
	$(REDOCLY) bundle $(SPEC) --ext yaml -o $(DIST)/xink.yaml
	$(REDOCLY) bundle $(SPEC) --ext json -o $(DIST)/xink.json
	$(REDOCLY) build-docs $(SPEC) --inlineBundle --title "Xink REST API $(SPEC_VERSION) (xink-go)" -o $(DIST)/xink.html
	cp CHANGELOG.md $(DIST)/CHANGELOG.md
	@for f in xink.yaml xink.json xink.html; do test -s $(DIST)/$$f || { echo "publish: $(DIST)/$$f was not written"; exit 1; }; done
	@if grep -q -E '<script[^>]+src="https?:' $(DIST)/xink.html; then echo "publish: xink.html loads a remote script (not offline)"; exit 1; fi
	@for op in $$(awk '$$1 == "operationId:" {print $$2}' $(SPEC)); do \
		grep -q "$$op" $(DIST)/xink.html || { echo "publish: operation $$op missing from $(DIST)/xink.html"; exit 1; }; done
	@ls -l $(DIST)/xink.yaml $(DIST)/xink.json $(DIST)/xink.html $(DIST)/CHANGELOG.md

.PHONY: xlang-tools
xlang-tools: $(NPM_BIN)/redocly ## Make sure the pinned npm tools of test-xlang are installed (npm ci if one is missing)
	@for b in prism openapi-typescript tsc; do \
		test -x $(NPM_BIN)/$$b || { echo "$(NPM_BIN)/$$b missing: npm ci"; npm ci --no-audit --no-fund --loglevel=error; break; }; \
	done

.PHONY: test-xlang
test-xlang: publish xlang-tools ## Cross-language proof: TS types (openapi-typescript) + tsc on ts-check/usage.ts; Prism serves every operation
	$(REDOCLY) lint --format stylish $(DIST)/xink.yaml
	@echo "test-xlang: the bundle $(DIST)/xink.yaml passes the spec lint ruleset"
	@mkdir -p $(DIST)/ts
	$(NPM_BIN)/openapi-typescript $(DIST)/xink.yaml -o $(DIST)/ts/xink.ts
	$(NPM_BIN)/tsc -p ts-check/tsconfig.json
	@echo "test-xlang: ts-check/usage.ts type-checks against the generated types"
	node scripts/prism-check.mjs $(DIST)/xink.json
	scripts/quiet.sh node scripts/prism-check.mjs --self-test createEmployee $(DIST)/xink.json
	@echo "test-xlang: prism-check self-test: a request example that breaks the spec is caught"

.PHONY: check-breaking
check-breaking: ## Breaking-change gate: oasdiff vs the latest openapi/baseline/ (needs a major bump and a Breaking list in CHANGELOG.md)
	cd $(OASDIFF_DIR) && $(GO) vet ./... && $(GO) test -count=1 ./... && \
		$(GO) run ./specgate -baseline ../../openapi/baseline -spec ../../$(SPEC) -changelog ../../CHANGELOG.md

.PHONY: test-consumer
test-consumer: publish ## examples/consumer: go generate is fresh, bundles give the same code, builds, runs against xinkmock
	scripts/consumer-check.sh

# --- client targets ---

.PHONY: demo
demo: ## Start xinkmock on a free 127.0.0.1 port, run examples/quickstart against it, stop the mock
	GO="$(GO)" examples/quickstart/demo.sh

.PHONY: test-client
test-client: ## go test -race the client facade (xink/) and build the quickstart
	$(GO) test -race -count=1 ./xink/...
	$(GO) vet ./xink/... ./examples/quickstart/

# --- contract targets ---

.PHONY: record
record: ## Record the contract scenarios from a real upstream, redacted before saving (XINK_CLIENT_ID, XINK_CLIENT_SECRET, XINK_AUTH_URL; writes only with XINK_RECORD_ALLOW_WRITES=1)
	XINK_RECORD=1 $(GO) test -tags live -count=1 -v -run '^TestRecordLive$$' ./contract_tests/

.PHONY: record-synthetic
record-synthetic: ## Rewrite the synthetic contract recordings from the in-process mock (live recordings are kept)
	$(GO) test -count=1 -run '^TestRegenerateRecordings$$' ./contract_tests/ -regenerate

.PHONY: drift
drift: ## Drift report: recorded traffic vs the spec, per operation; exits 1 on drift (ARGS="-provenance live -json")
	$(GO) run ./contract_tests/cmd/xinkdrift $(ARGS)

.PHONY: test-live
test-live: ## Run the contract scenarios against the live Xink API (never in CI; XINK_CLIENT_ID, XINK_CLIENT_SECRET; writes only with XINK_LIVE_ALLOW_WRITES=1)
	$(GO) test -tags live -count=1 -v -run '^TestScenariosLive$$' ./contract_tests/

# --- bench targets ---

.PHONY: bench
bench: xlang-tools ## Benchmarks: Go (mock handlers, client overhead) + load (xinkmock vs Prism vs net/http) -> bench/RESULTS.md
	$(GO) test -run '^$$' -bench . -benchmem -count 1 ./bench/ | tee bench/gobench.txt
	$(GO) run ./bench/cmd/xinkbench -gobench bench/gobench.txt $(BENCH_ARGS)

# --- mock targets ---

.PHONY: test-mock
test-mock: ## go test -race the mock (mockserver/, mocktest, the xinkmock binary); every response strict-validated
	$(GO) test -race -count=1 ./mockserver/...
	$(GO) vet ./mockserver/...

.PHONY: bench-mock
bench-mock: ## Benchmark xinkmock start-up to the first 200 (target: under 100 ms)
	$(GO) test -run '^$$' -bench 'StartupToFirst200' -benchtime 50x ./mockserver/

.PHONY: build-mock
build-mock: ## Build the xinkmock binary into bin/xinkmock
	$(GO) build -o bin/xinkmock ./mockserver/cmd/xinkmock

# --- reliability targets ---
# Fuzzing (not in CI: it runs for FUZZTIME per target) and the soak; both write their figures
# into RELIABILITY.md. The limit, log-scan and durability tests are ordinary tests (test-go).
FUZZTIME ?= 20s
SOAK_ARGS ?= -workers 64 -ops 200

.PHONY: fuzz
fuzz: ## Run every fuzz target for FUZZTIME (default 20s) and write executions per target to RELIABILITY.md
	GO="$(GO)" FUZZTIME="$(FUZZTIME)" scripts/fuzz.sh

.PHONY: soak
soak: ## Soak under -race: 64 xink clients, mixed reads and writes, invariants over HTTP, on an in-process xinkmock and on the binary; figures to RELIABILITY.md
	$(GO) run -race ./soak/cmd/xinksoak $(SOAK_ARGS) -results RELIABILITY.md
	$(GO) build -race -o bin/xinkmock-race ./mockserver/cmd/xinkmock
	$(GO) run -race ./soak/cmd/xinksoak $(SOAK_ARGS) -binary bin/xinkmock-race -section SOAK-BINARY -results RELIABILITY.md

.PHONY: test-reliability
test-reliability: ## The reliability tests only: fuzz seeds, limits, log scan, SIGKILL durability, small soak (-race)
	$(GO) test -race -count=1 -run 'Fuzz|Cap|Slow|Unclean|Panic|TokensAre|Hostile|Logs|SIGKILL|Timeout|Soak|Config|Endless|SecretsEqual|TooLarge' ./mockserver/... ./xink/ ./soak/...
