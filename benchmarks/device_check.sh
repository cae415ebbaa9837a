#!/usr/bin/env bash
# Measure ntkverify on whatever accelerator this machine has (issue 15 item 5), in one short run: the JAX
# devices it sees, the quick profile of the catalogue (wall time, verdict counts) and the NTK benchmark
# against neural-tangents (`--quick`), each with the load average beside it.
#
#   benchmarks/device_check.sh                      # the whole quick catalogue, then the NTK benchmark
#   benchmarks/device_check.sh --only 'shallow.*'   # a part of the catalogue (repeatable, as `run --only`)
#   benchmarks/device_check.sh --no-nt              # skip the NTK benchmark (it installs neural-tangents
#                                                   # into a throw-away venv the first time: ~700 MB)
#
# For a GPU: `pip install -e '.[cuda]'` first; PYTHON picks the interpreter (default: python3).
set -euo pipefail
cd "$(dirname "$0")/.."
PYTHON=${PYTHON:-python3}
only=() nt=1
while [ $# -gt 0 ]; do
  case "$1" in
    --only) only+=(--only "$2"); shift 2 ;;
    --no-nt) nt=0; shift ;;
    *) echo "device_check.sh: unknown argument '$1' (use --only GLOB, --no-nt)" >&2; exit 2 ;;
  esac
done
load() { echo "load $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || uptime) on $(nproc 2>/dev/null || echo '?') cores"; }

echo "== devices"
"$PYTHON" -c 'import json; from verify._jax import settings; print(json.dumps(settings().as_dict()))'

echo "== quick profile ($(load))"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
start=$(date +%s.%N)
status=0
"$PYTHON" -m verify run --profile quick --out "$out" --run-id device-check --no-html "${only[@]}" || status=$?
end=$(date +%s.%N)
"$PYTHON" - "$out/device-check/results.json" "$start" "$end" <<'PY'
import collections, json, sys
doc = json.load(open(sys.argv[1]))
counts = collections.Counter(c["verdict"] for c in doc["claims"])
slowest = sorted(doc["claims"], key=lambda c: -c["time_s"])[:5]
print(f"quick profile: {len(doc['claims'])} claims in {float(sys.argv[3]) - float(sys.argv[2]):.1f} s wall on "
      f"{doc['run']['jax']['platform']} × {doc['run']['jax']['devices']} ({', '.join(doc['run']['jax']['device_kinds'])}): "
      + ", ".join(f"{n} {v}" for v, n in sorted(counts.items())))
print("slowest: " + ", ".join(f"{c['id']} {c['time_s']:.1f} s" for c in slowest))
PY
echo "($(load) after; run exit status $status: 1 means a claim ERRORed)"

if [ "$nt" = 1 ]; then
  echo "== NTK benchmark ($(load))"
  "$PYTHON" benchmarks/ntk_vs_neural_tangents.py --quick
fi
