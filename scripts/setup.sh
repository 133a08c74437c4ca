#!/usr/bin/env bash
# Installs the Debian packages Rampart builds against, only those that are missing.
# Safe to run repeatedly; needs root (or sudo) only when something is missing.
set -euo pipefail

packages=(
  pkg-config       # lets SwiftPM's systemLibrary targets find the C libraries
  libpcre2-dev     # CPCRE2: every regex in all three engines (PCRE2 with JIT)
  libseccomp-dev   # CSeccomp: syscall tables, seccomp filters and user notification
  libcap-dev       # CCap: capability sets, dropping privileges
  libxml2-dev      # CLibXML2: the WAF's XML request body processor and XPath targets
  libhiredis-dev   # CHiredis: WAF rate limits shared across instances on Redis
  redis-server     # the Redis the shared-rate-limit tests start on 127.0.0.1 (and stop)
  modsecurity-crs  # the OWASP CRS (3.3.x) the shipped WAF configuration includes
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  exit 0
fi

echo "setup: installing ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
  run=()
elif command -v sudo >/dev/null 2>&1; then
  run=(sudo)
else
  echo "setup: missing packages ${missing[*]} and not root (no sudo): install them and re-run" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${run[@]}" apt-get update -qq
"${run[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}"
