# The logic lives in scripts/; these targets only name it.
.PHONY: test run build bench lint

# Vet and test everything against real PostgreSQL and Redis, started if
# needed, with a throwaway database dropped afterwards.
test:
	bash scripts/with-services.sh bash scripts/test.sh

run:
	go run ./cmd/perfbot demo

build:
	go build -o bin/perfbot ./cmd/perfbot

# Benchmarks of the stores need the services too.
bench:
	bash scripts/with-services.sh go test -run '^$$' -bench . -benchmem ./...

lint:
	@unformatted=$$(gofmt -l .); \
	if [ -n "$$unformatted" ]; then echo "gofmt -w needed on:"; echo "$$unformatted"; exit 1; fi
	go vet ./...
