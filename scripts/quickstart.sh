#!/usr/bin/env bash
# Quickstart, command 1: install what is missing, build release, run the main job on the shipped
# examples: the Arctiq admission policy deciding on `kubectl exec` into a pod Falcon flagged.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build -c release --product policy
swift build -c release --product falcon

echo "== policy eval rules/ examples/arctiq/data examples/arctiq/exec-into-orders.json"
.build/release/policy eval --format pretty rules/ examples/arctiq/data examples/arctiq/exec-into-orders.json

echo
echo "== policy waf replay --acl rules/waf/arctiq-acl.yaml examples/waf/access.jsonl"
echo "   (edge web ACL: IP reputation list, 2,000 requests / 5 min per client on /api/orders, OWASP CRS 3.3.4 at PL1)"
.build/release/policy waf replay --acl rules/waf/arctiq-acl.yaml examples/waf/access.jsonl \
  --expected examples/waf/expected-verdicts.jsonl
