# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: run test build release setup setup-test bench clean

setup:
	@scripts/setup.sh

setup-test:
	@scripts/setup.sh test

build: setup
	swift build

release: setup
	swift build -c release

run: setup
	@scripts/run.sh

test: setup-test
	@scripts/test.sh

bench: setup
	Benchmarks/scheduling/run.sh

clean:
	rm -rf .build run test-output
