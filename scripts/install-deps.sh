#!/usr/bin/env bash
# Installs the Debian packages audience-batch builds and tests with, and
# nothing when they are all there already (dpkg is asked first: no network).
set -euo pipefail

packages=(
  build-essential cmake ninja-build ccache pkg-config
  libboost1.81-dev libboost-json1.81-dev libboost-url1.81-dev
  libboost-program-options1.81-dev
  libssl-dev ca-certificates openssl libjemalloc-dev
  libhiredis-dev redis-server
  libgtest-dev libgmock-dev libbenchmark-dev
  clang libclang-rt-14-dev
  # docs/operations.md: promtool checks --metrics, a real Pushgateway and a
  # real proxy for the e2e tests, help2man makes the man page from --help,
  # dpkg-dev (dpkg-shlibdeps) declares the .deb's dependencies.
  prometheus prometheus-pushgateway tinyproxy-bin help2man dpkg-dev
  python3 python3-requests-oauthlib
  # The ctest guard of instructions per row (bench/instructions.sh): callgrind
  # counts a T1 run against the bench nginx (curl: bench/lib.sh waits for it).
  valgrind nginx-light curl
)
if [ "${1:-}" = "--bench" ]; then
  # strace and perf: syscalls a row, by the work and at full speed (bench/syscalls.sh).
  packages+=(wrk gnuplot-nox python3-aiohttp time strace linux-perf)
  # A machine may carry Node.js from elsewhere (nodesource bundles npm and
  # conflicts with Debian's npm): only ask Debian when there is none.
  command -v node >/dev/null || packages+=(nodejs)
  command -v npm >/dev/null || packages+=(npm)
fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

sudo=""
[ "$(id -u)" -eq 0 ] || sudo="sudo"
echo "installing: ${missing[*]}" >&2
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
