#!/usr/bin/env bash
# The one prepared GPU-machine script: full-scale microcircuit, Poisson/DC × recording on/off,
# then the engine micro-benchmarks, ending with a short table. On a device machine it uses the
# carried .gpu/ bundle (benchmarks/gpu/prepare.sh); anywhere else it runs with the local Deno,
# so it can be tried on the CPU adapter first (`SCALE=0.1 bash benchmarks/gpu/run.sh`).
set -uo pipefail
cd "$(dirname "$0")/../.."
SCALE="${SCALE:-1}"
T_SIM="${T_SIM:-1000}"
OUT_DIR="${OUT:-/tmp/spikebench-gpu-out}"
mkdir -p "$OUT_DIR"
export XDG_RUNTIME_DIR="${XDG_RUNTIME_DIR:-/tmp/spikebench-xdg}"
mkdir -p "$XDG_RUNTIME_DIR" && chmod 700 "$XDG_RUNTIME_DIR"
if [ -d .gpu ]; then
  for f in .gpu/gl/*.deb; do dpkg -x "$f" /; done
  ldconfig
  nvidia_icd=/usr/local/nvidia/share/vulkan/icd.d/nvidia_icd.json
  if [ -f "$nvidia_icd" ] && ! ls /usr/share/vulkan/icd.d/nvidia* >/dev/null 2>&1; then
    export VK_DRIVER_FILES="$nvidia_icd"
  fi
  mkdir -p /tmp/spikebench-deno
  xz -d -c .gpu/deno.xz > /tmp/spikebench-deno/deno && chmod +x /tmp/spikebench-deno/deno
  export PATH="/tmp/spikebench-deno:$PATH" DENO_DIR="$PWD/.gpu/deno_dir"
fi
command -v deno >/dev/null || { echo "no deno: run benchmarks/gpu/prepare.sh first"; exit 2; }
command -v nvidia-smi >/dev/null && nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv
deno task bench:table --scale "$SCALE" --t-sim "$T_SIM" --out "$OUT_DIR/results" \
  2> >(grep -E "adapter|warning|construction|simulate|error" >&2) | tee "$OUT_DIR/table.md"
deno task bench:engine --json > "$OUT_DIR/engine.json" 2>/dev/null &&
  echo "engine micro-benchmarks: $OUT_DIR/engine.json"
if grep -q llvmpipe "$OUT_DIR/table.md"; then
  echo "note: the adapter is llvmpipe (software); on a GPU machine this means Vulkan did not reach the GPU"
fi
