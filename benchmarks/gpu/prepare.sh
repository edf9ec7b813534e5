#!/usr/bin/env bash
# Prepares .gpu/ for a GPU machine that reaches no package registry (design.md §6): the Deno
# binary (xz), Deno's npm cache for this project, and the Vulkan loader packages. Run it here,
# once; then pass `.gpu` as a carried path to the device run and start benchmarks/gpu/run.sh.
# .gpu/ is git-ignored; it stays near 35 MiB so the working tree travels within 64 MiB.
set -euo pipefail
cd "$(dirname "$0")/../.."
export DENO_TLS_CA_STORE=system
mkdir -p .gpu/gl /tmp/spikebench-amd64/partial
deno_bin="$(command -v deno || npx -y deno@2.9.6 eval 'console.log(Deno.execPath())')"
xz -6 -T0 -c "$deno_bin" > .gpu/deno.xz
# The npm packages the benchmark entry points need (not the report's browser tooling), cached
# where run.sh points DENO_DIR.
DENO_DIR="$PWD/.gpu/deno_dir" "$deno_bin" cache --frozen benchmarks/main.ts \
  benchmarks/matrix_table.ts benchmarks/engine_bench.ts >/dev/null
# Vulkan loader (the NVIDIA ICD comes with the machine's driver).
o='-oAPT::Architecture=amd64 -oAPT::Architectures=amd64 -oDir::State::Lists=/tmp/spikebench-amd64'
apt-get $o update -qq
(cd .gpu/gl && apt-get $o download libvulkan1 >/dev/null 2>&1)
du -sh .gpu
