#!/usr/bin/env bash
# Quickstart, command 2: every test. Unit, conformance ratchet (reads ../shared when present,
# skips visibly when not), CLI and kernel-facing tests (as root; they skip with a message
# without the privilege). .ci/run calls exactly this.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/setup.sh
swift build --build-tests
swift test --skip-build
