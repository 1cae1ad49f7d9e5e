# The two commands of the README. Each installs what is missing first.
PRESET := $(if $(CI),ci,release)
BUILD  := build

.PHONY: demo test deps build bench fuzz asan package clean

deps:
	@scripts/install-deps.sh

build: deps
	@cmake --preset $(PRESET) >/dev/null
	@cmake --build --preset $(PRESET)

demo: build
	@scripts/demo.sh

test: build
	@ctest --preset $(PRESET)
	@scripts/fuzz.sh 20

asan: deps
	@cmake --preset asan >/dev/null
	@cmake --build --preset asan
	@ctest --preset asan

# A .deb of the release build (CPack; dependencies declared by dpkg-shlibdeps).
package: build
	@cmake --build --preset $(PRESET) --target package

bench: deps
	@bench/run

fuzz: deps
	@scripts/fuzz.sh 60

clean:
	rm -rf build build-asan build-fuzz
