#!/usr/bin/env bash
# Quickstart, command 1: install what is missing, build release, run the main job on the shipped
# examples (the Arctiq story: a `kubectl exec` admission request into the orders pod).
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build -c release

echo "== policy json examples/arctiq/exec-into-orders.json (the admission request, canonical form)"
.build/release/policy json examples/arctiq/exec-into-orders.json
