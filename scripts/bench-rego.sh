#!/usr/bin/env bash
# Rego benchmark: the Gatekeeper corpus timed per case (parse input JSON, evaluate the violation
# query, serialise the result) by Rampart, by OPA v1.20.2 (its Go engine through the C bridge)
# and by regorus 0.13, on this machine in this run. Prints medians and the ratios.
# Needs the anchors: ../shared/anchors/setup.sh (installs them under $ANCHORS).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAMPART_SHARED:-../shared}
ANCHORS=${ANCHORS:-$HOME/.cache/rampart-anchors}
CASES=$(cd "$SHARED/conformance/rego/gatekeeper" && pwd)
out=${BENCH_OUT:-.build/bench}
mkdir -p "$out"

if [ ! -x "$ANCHORS/bench_opa" ]; then
  echo "anchors missing: run $SHARED/anchors/setup.sh first" >&2
  exit 2
fi

swift build -c release --product conformance >&2
swift build -c release --product policy >&2

# OPA needs v1 syntax: the corpus ships a mechanical v1 rewrite of each policy for it.
python3 - "$CASES" > "$out/manifest.tsv" <<'PY'
import json, os, sys
root = sys.argv[1]
for c in json.load(open(os.path.join(root, "index.json")))["cases"]:
    d = os.path.join(root, c["path"])
    data = "data.json" if c["has_data"] else "-"
    print("\t".join([d, c["query"], ",".join(c["modules_v1"]), data]))
PY

echo "timing Rampart..." >&2
.build/release/conformance gatekeeper "$CASES" --bench 1 > "$out/rampart.tsv"
echo "timing OPA..." >&2
"$ANCHORS/bench_opa" "$out/manifest.tsv" 300 100 > "$out/opa.tsv"
echo "timing regorus..." >&2
(cd "$SHARED/anchors" && GATEKEEPER_CASES="$CASES" "$ANCHORS/venv/bin/python" bench_regorus.py --mode v0) > "$out/regorus.tsv" 2> "$out/regorus.err" || true

# Cold start: one `policy eval` process on one case vs the OPA bridge's setup plus first eval.
case_dir="$CASES/allowedrepos/allowed-repos--container-disallowed"
start=$(date +%s%N)
.build/release/policy eval --v0-compatible -d "$case_dir/policy.rego" -i "$case_dir/input.json" \
  'data.k8sallowedrepos.violation[result]' > /dev/null
end=$(date +%s%N)
cold_ms=$(( (end - start) / 1000 ))

python3 - "$out" "$cold_ms" <<'PY'
import statistics, sys
out, cold_us = sys.argv[1], float(sys.argv[2])
def load(path, key_col=0, val_col=1, skip_comments=True):
    rows = {}
    for line in open(path):
        if line.startswith("#") or line.startswith("case\t"):
            continue
        parts = line.rstrip("\n").split("\t")
        if len(parts) > val_col and parts[val_col]:
            rows[parts[key_col].rstrip("/").split("/gatekeeper/")[-1]] = float(parts[val_col])
    return rows
ours = load(f"{out}/rampart.tsv")
opa = load(f"{out}/opa.tsv", val_col=3)
opa_cold = load(f"{out}/opa.tsv", val_col=1)
try:
    regorus = load(f"{out}/regorus.tsv", val_col=3)
except FileNotFoundError:
    regorus = {}
common = sorted(set(ours) & set(opa))
print(f"Gatekeeper corpus, per-case median latency (us), {len(common)} cases")
print(f"  Rampart  median over cases: {statistics.median(ours[c] for c in common):8.2f}")
print(f"  OPA      median over cases: {statistics.median(opa[c] for c in common):8.2f}")
ratio_opa = statistics.median(ours[c] / opa[c] for c in common)
print(f"  Rampart/OPA, median of per-case ratios: {ratio_opa:.3f}  (target <= 0.25)")
rc = sorted(set(ours) & set(regorus))
if rc:
    print(f"  regorus  median over cases: {statistics.median(regorus[c] for c in rc):8.2f}  ({len(rc)} cases)")
    ratio_reg = statistics.median(ours[c] / regorus[c] for c in rc)
    print(f"  Rampart/regorus, median of per-case ratios: {ratio_reg:.3f}  (target <= 0.5)")
print(f"Cold start: policy eval process on one case {cold_us/1000:.1f} ms; OPA bridge setup + first eval median {statistics.median(opa_cold.values())/1000:.1f} ms (in-process, no process start)")
PY
