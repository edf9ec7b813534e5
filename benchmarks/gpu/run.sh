#!/usr/bin/env bash
# The one prepared GPU-machine script: full-scale microcircuit, Poisson/DC × recording on/off,
# then the engine micro-benchmarks, ending with a short table. On a device machine it uses the
# carried .gpu/ bundle (benchmarks/gpu/prepare.sh); anywhere else it runs with the local Deno,
# so it can be tried on the CPU adapter first (`SCALE=0.1 bash benchmarks/gpu/run.sh`).
set -uo pipefail

usage() {
  cat <<'USAGE'
Usage: deno task bench:gpu [-h|--help]
       bash benchmarks/gpu/run.sh [-h|--help]

The prepared GPU-machine run: the microcircuit at --scale SCALE (full scale by default) with
Poisson/DC drive x spike recording on/off (deno task bench:table), then the engine
micro-benchmarks (deno task bench:engine), ending with a short table. Takes no arguments;
it is configured by environment variables:

  SCALE            microcircuit scale for bench:table (default 1, the full scale: minutes on
                   a GPU, much longer on a CPU adapter; try SCALE=0.1 first)
  T_SIM            simulated time per run in ms (default 1000)
  OUT              folder for the outputs (default /tmp/spikebench-gpu-out): OUT/table.md,
                   OUT/engine.json and the results history in OUT/results
  XDG_RUNTIME_DIR  private runtime folder wgpu needs (default /tmp/spikebench-xdg)

On a device machine with the carried .gpu/ bundle (benchmarks/gpu/prepare.sh) it installs
the Vulkan loader from it (into /) and uses the bundled Deno (DENO_DIR=.gpu/deno_dir);
anywhere else it runs with the deno on PATH. bench:table checks SCALE, T_SIM and OUT before
any work.

Example: SCALE=0.1 T_SIM=500 OUT=/tmp/gpu-try deno task bench:gpu

Exit status: 2 for a bad argument or when no deno is found, else 0 (a failed step says so
in its output).
USAGE
}

# Arguments first, before anything is created, installed or started.
for arg in "$@"; do
  case "$arg" in
    -h | --help)
      usage
      exit 0
      ;;
    *)
      echo "error: unknown argument '$arg': bench:gpu takes no arguments, it is configured by" \
        "environment variables (SCALE, T_SIM, OUT; see --help)" >&2
      exit 2
      ;;
  esac
done

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
