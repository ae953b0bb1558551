#!/usr/bin/env bash
# Installs the Debian packages the test suite needs (only those missing): PostgreSQL 15 for the
# real-server tests, Neovim and Emacs (eglot) for the end-to-end editor tests, chromium for the
# code-server (real VS Code) tests and libkrb5-dev for code-server's kerberos addon build. Uses sudo
# when not root. Safe to run repeatedly.
set -euo pipefail
packages=(postgresql-15 neovim emacs-nox elpa-eglot chromium libkrb5-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "test dependencies present: ${packages[*]}"
  exit 0
fi
as_root=()
[ "$(id -u)" -eq 0 ] || as_root=(sudo)
echo "installing: ${missing[*]}"
"${as_root[@]}" apt-get update -qq
# Debian's postgresql packages try to start a cluster; tests start their own private servers.
DEBIAN_FRONTEND=noninteractive "${as_root[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
