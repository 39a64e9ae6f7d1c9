# obieg: the commands of the README. `make run` and `make test` build the pinned Temporal CLI,
# MinIO server and Versity S3 gateway into .bin/ first (a few minutes, once).

GO ?= go
BIN := .bin
STATICCHECK := honnef.co/go/tools/cmd/staticcheck@v0.7.0
WORKFLOWCHECK := go.temporal.io/sdk/contrib/tools/workflowcheck@v0.6.0

.PHONY: run test tools build lint fuzz clean bench-xades bench-archive

## run: start all of obieg with demo data (cmd/obieg-dev); Ctrl-C stops everything
run: tools
	$(GO) build -o $(BIN)/obieg ./cmd/obieg
	$(GO) build -o $(BIN)/obieg-dev ./cmd/obieg-dev
	exec $(BIN)/obieg-dev

## test: every test, integration tests on real PostgreSQL, Temporal and MinIO
test: tools
	$(GO) test ./...

## tools: build the Temporal CLI, MinIO server and versitygw pinned in tools/go.mod into .bin/
tools: $(BIN)/temporal $(BIN)/minio $(BIN)/versitygw

$(BIN)/temporal: tools/go.mod tools/go.sum
	./tools/build.sh temporal

$(BIN)/minio: tools/go.mod tools/go.sum
	./tools/build.sh minio

$(BIN)/versitygw: tools/go.mod tools/go.sum
	./tools/build.sh versitygw

## build: the obieg, obieg-dev, epuap-sim and edoreczenia-sim binaries
build:
	$(GO) build -o obieg ./cmd/obieg
	$(GO) build -o obieg-dev ./cmd/obieg-dev
	$(GO) build -o epuap-sim ./cmd/epuap-sim
	$(GO) build -o edoreczenia-sim ./cmd/edoreczenia-sim

## lint: gofmt, go vet, the import rule (internal/dev/layout), staticcheck and Temporal's workflowcheck
lint:
	@out=$$(gofmt -l $$(git ls-files '*.go')); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi
	$(GO) vet ./...
	$(GO) test ./internal/dev/layout
	$(GO) run $(STATICCHECK) ./...
	$(GO) run $(WORKFLOWCHECK) -config workflowcheck.config.yaml ./workflows/...

## fuzz: run each fuzz target for FUZZTIME (default 30s)
FUZZTIME ?= 30s
fuzz:
	@for pkg in $$($(GO) list ./...); do \
		for f in $$($(GO) test -list '^Fuzz' $$pkg 2>/dev/null | grep '^Fuzz'); do \
			echo "fuzz $$pkg $$f"; $(GO) test $$pkg -run '^$$' -fuzz "^$$f$$" -fuzztime $(FUZZTIME) || exit 1; \
		done; \
	done

## bench-xades: XAdES verification throughput on one core, obieg vs xmlsec1 vs xadesjs (BENCHMARKS.md)
bench-xades:
	./bench/xades/run.sh

## bench-archive: archive ingest (archivestore) vs a raw minio-go PutObject loop, MinIO and versitygw (BENCHMARKS.md)
bench-archive: $(BIN)/minio $(BIN)/versitygw
	OBIEG_BIN_DIR=$${OBIEG_BIN_DIR:-$(BIN)} $(GO) run ./bench/archive

clean:
	rm -rf $(BIN) obieg obieg-dev epuap-sim edoreczenia-sim
