#!/usr/bin/env bash
# Runs a test binary with the monotonic clock set back to one minute after
# boot, as on a machine booted a minute ago: time arithmetic that starts from
# the clock's epoch shows up here and nowhere else. Needs a time namespace
# (root, Linux 5.6); where none may be made the test is skipped, and says so.
set -euo pipefail
binary=$1; shift
up=$(cut -d. -f1 /proc/uptime)
back=$(( up > 60 ? up - 60 : 0 ))
if ! unshare --time --monotonic=-"$back" true 2>/dev/null; then
  echo "skipped: no time namespace here (unshare --time refused)"
  exit 77
fi
exec unshare --time --monotonic=-"$back" "$binary" "$@"
