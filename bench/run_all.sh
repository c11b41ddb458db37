#!/usr/bin/env bash
# Runs every Google Benchmark binary of a build (bench_<name>, not bench_seed_model_files) and merges
# their JSON reports into one file: the first binary's context (with graphtx's entries) and all
# benchmarks, each tagged with its executable.
#
#   bench/run_all.sh BUILD_DIR OUT.json [--benchmark_* flags passed to every binary]
#   bench/run_all.sh build bench/results/$(date +%F)_cpu-2core_gbench.json --benchmark_min_time=0.1
set -euo pipefail
if [ $# -lt 2 ]; then
  echo "usage: $0 BUILD_DIR OUT.json [--benchmark_* flags]" >&2
  exit 2
fi
build=$1
out=$2
shift 2
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
found=0
for bin in "$build"/bench/bench_*; do
  name=$(basename "$bin")
  if [ ! -x "$bin" ] || [ -d "$bin" ] || [ "$name" = bench_seed_model_files ]; then continue; fi
  found=1
  echo "== $name" >&2
  "$bin" --benchmark_out="$tmp/$name.json" --benchmark_out_format=json "$@"
done
if [ "$found" = 0 ]; then
  echo "$0: no bench_* executables under $build/bench (configure with -DGRAPHTX_BUILD_BENCH=ON and build)" >&2
  exit 1
fi
python3 - "$out" "$tmp"/*.json <<'PY'
import json, os, sys
out, parts = sys.argv[1], sys.argv[2:]
merged = None
for path in parts:
    with open(path) as f:
        rep = json.load(f)
    exe = os.path.splitext(os.path.basename(path))[0]
    for b in rep["benchmarks"]:
        b["executable"] = exe
    if merged is None:
        merged = {"context": rep["context"], "benchmarks": []}
        merged["context"]["executables"] = []
    merged["context"]["executables"].append(exe)
    merged["benchmarks"] += rep["benchmarks"]
os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
with open(out, "w") as f:
    json.dump(merged, f, indent=2)
    f.write("\n")
print(f"wrote {out}: {len(merged['benchmarks'])} benchmarks from {len(parts)} executables", file=sys.stderr)
PY
