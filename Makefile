# The two commands a newcomer needs: `make run` and `make test`.
.PHONY: run test soak build release setup setup-test bench clean

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

# The whole suite RUNS times on a clean clone, beside BURNERS CPU-burning processes.
RUNS ?= 5
BURNERS ?= 0
soak:
	@scripts/test-soak.sh -n $(RUNS) -l $(BURNERS)

bench: setup
	Benchmarks/scheduling/run.sh

clean:
	rm -rf .build run test-output
