#!/usr/bin/env bash
# Builds the .deb with CPack from the build tree, unpacks it into a scratch
# root (dpkg -x: no installation on this machine) and runs the binary from
# there; checks the man page, the completions and the declared dependencies.
set -euo pipefail
build_dir=$1
scratch=$(mktemp -d)
trap 'rm -rf "$scratch"' EXIT

cpack --config "$build_dir/CPackConfig.cmake" -B "$scratch/out" >"$scratch/cpack.log" 2>&1 || { cat "$scratch/cpack.log"; exit 1; }
deb=$(ls "$scratch"/out/audience-batch_*.deb)
echo "package: $(basename "$deb"), $(stat -c %s "$deb") bytes"

dpkg-deb -x "$deb" "$scratch/root"
version=$("$scratch/root/usr/bin/audience-batch" --version)
echo "from the package: $version"
[[ $version == "audience-batch "* ]]

depends=$(dpkg-deb -f "$deb" Depends)
echo "Depends: $depends"
for needed in libboost-json1.81.0 libboost-url1.81.0 libboost-program-options1.81.0 libssl3 libc6 ca-certificates; do
  [[ $depends == *"$needed"* ]] || { echo "Depends lacks $needed"; exit 1; }
done

test -s "$scratch/root/usr/share/man/man1/audience-batch.1.gz"
zcat "$scratch/root/usr/share/man/man1/audience-batch.1.gz" | grep -q 'concurrency' || { echo "man page lacks --help's flags"; exit 1; }
test -s "$scratch/root/usr/share/bash-completion/completions/audience-batch"
test -s "$scratch/root/usr/share/zsh/vendor-completions/_audience-batch"
test -s "$scratch/root/usr/share/doc/audience-batch/examples/nf.create.csv"
test -s "$scratch/root/usr/share/doc/audience-batch/contrib/systemd/audience-batch.timer"
bash -n "$scratch/root/usr/share/bash-completion/completions/audience-batch"
echo "package ok"
