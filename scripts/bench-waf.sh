#!/usr/bin/env bash
# WAF benchmark: Rampart's SecLang engine and ModSecurity 3.0.9 (libmodsecurity through the
# anchors' msc_harness) on the same corpora, configurations and machine, in this run:
#   - benign.jsonl (10,000 realistic requests) with the stock CRS v4 PL1 setup
#   - crs-regression.jsonl (3,653 judged stages) with the regression README's setup (PL4)
# Prints requests/s and us/request for each, the ratio, and both rule-set load times.
# Needs ../shared and the anchors (../shared/anchors/setup.sh installs them under $ANCHORS).
set -euo pipefail
cd "$(dirname "$0")/.."
SHARED=${RAMPART_SHARED:-../shared}
ANCHORS=${ANCHORS:-$HOME/.cache/rampart-anchors}
PASSES=${PASSES:-3}
WAF="$SHARED/conformance/waf"
out=${BENCH_OUT:-.build/bench}
mkdir -p "$out"

if [ ! -x "$ANCHORS/msc_harness" ]; then
  echo "anchors missing: run $SHARED/anchors/setup.sh first" >&2
  exit 2
fi
swift build -c release --product conformance >&2

python3 "$SHARED/anchors/jsonl2bin.py" "$WAF/benign.jsonl" "$out/benign.bin" 2>/dev/null
# ModSecurity times the judged regression stages only, as Rampart does.
python3 - "$WAF/crs-regression.jsonl" "$out/regression-judged.jsonl" <<'PY'
import json, sys
with open(sys.argv[2], "w") as out:
    for line in open(sys.argv[1]):
        if json.loads(line).get("modsec_pass") is not None:
            out.write(line)
PY
python3 "$SHARED/anchors/jsonl2bin.py" "$out/regression-judged.jsonl" "$out/regression.bin" 2>/dev/null

run() { # name corpus.jsonl corpus.bin config
  local name=$1 corpus=$2 bin=$3 config=$4
  ours=$(.build/release/conformance crs "$corpus" --config "$config" --bench "$PASSES")
  theirs=$("$ANCHORS/msc_harness" bench "$config" "$bin" "$PASSES" 2>&1 | grep '^RESULT')
  ours_rps=$(echo "$ours" | sed -n 's/^requests\/s: //p')
  ours_us=$(echo "$ours" | sed -n 's/^us\/request: //p')
  theirs_rps=$(echo "$theirs" | sed -n 's/.*tx_per_s=\([0-9.]*\).*/\1/p')
  theirs_us=$(echo "$theirs" | sed -n 's/.*us_per_tx=\([0-9.]*\).*/\1/p')
  ratio=$(python3 -c "print(f'{$ours_rps / $theirs_rps:.2f}')")
  printf '%-22s rampart %9s req/s %9s us/req | modsecurity %8s req/s %9s us/req | ratio %sx\n' \
    "$name" "$ours_rps" "$ours_us" "$theirs_rps" "$theirs_us" "$ratio"
}

echo "# passes: $PASSES (median pass); load average: $(cut -d' ' -f1-3 /proc/loadavg)"
run "benign PL1" "$WAF/benign.jsonl" "$out/benign.bin" "$WAF/modsecurity-conf/v4-pl1-detectiononly.conf"
run "regression PL4" "$out/regression-judged.jsonl" "$out/regression.bin" "$WAF/modsecurity-conf/v4-readme-detectiononly.conf"

ours_load=$(.build/release/conformance crs "$out/regression-judged.jsonl" --config "$WAF/modsecurity-conf/v4-readme-detectiononly.conf" | sed -n 's/^rule set loaded in //p')
theirs_load=$("$ANCHORS/msc_harness" check "$WAF/modsecurity-conf/v4-readme-detectiononly.conf" 2>&1 | sed -n 's/.* in \([0-9.]* s\).*/\1/p' | head -1)
echo "rule set load (CRS v4 + setup): rampart $ours_load, modsecurity $theirs_load"
