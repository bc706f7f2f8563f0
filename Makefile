# xink-go: every target has a "## description" so that `make help` lists it.
SHELL := /bin/bash
.DEFAULT_GOAL := help

GO        ?= go
NPM_BIN   := node_modules/.bin
SPEC      := openapi/xink.yaml
GEN_DIRS  := generated/xinkapi generated/xinkserver

.PHONY: help
help: ## List the targets
	@awk 'BEGIN {FS = ":.*## "} /^[a-zA-Z0-9_-]+:.*## / {printf "  \033[36m%-18s\033[0m %s\n", $$1, $$2}' $(MAKEFILE_LIST)

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
	$(NPM_BIN)/redocly lint --max-problems 200 --format stylish $(SPEC)

.PHONY: lint
lint: fmt-check vet lint-spec ## gofmt, go vet and the spec linter

.PHONY: test
test: lint check-generated ## Lint, prove generated code fresh, then go test -race ./...
	$(GO) test -race -count=1 ./...

.PHONY: run
run: ## Start the mock (xinkmock) on 127.0.0.1:8080 with its embedded seed data
	$(GO) run ./mockserver/cmd/xinkmock $(ARGS)
