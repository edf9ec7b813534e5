// `deno task bench:gpu` (benchmarks/gpu/run.sh) takes no arguments: --help printed nothing and
// started a full-scale job, and so did any typo. Guarded: usage for -h/--help, exit 2 for
// anything else, both before anything is created, installed or started.
import assert from "node:assert/strict";

const SCRIPT = new URL("./run.sh", import.meta.url).pathname;

/** Runs run.sh with `args` where every tool it would start is a fake that leaves a trace. */
async function runGpuScript(dir: string, args: string[]) {
  const t0 = performance.now();
  const out = await new Deno.Command("bash", {
    args: [SCRIPT, ...args],
    cwd: dir,
    clearEnv: true,
    env: {
      PATH: `${dir}/bin:/usr/bin:/bin`,
      HOME: dir,
      OUT: `${dir}/out`,
      XDG_RUNTIME_DIR: `${dir}/xdg`,
      SCALE: "0.02",
      T_SIM: "10",
    },
    stdout: "piped",
    stderr: "piped",
    signal: AbortSignal.timeout(30_000),
  }).output();
  const dec = new TextDecoder();
  return {
    code: out.code,
    stdout: dec.decode(out.stdout),
    stderr: dec.decode(out.stderr),
    seconds: (performance.now() - t0) / 1000,
  };
}

Deno.test("bench_gpu_arguments: --help prints the usage, a bogus argument exits 2, nothing runs", async () => {
  const dir = await Deno.makeTempDir({ prefix: "spikebench-gpu-args-" });
  try {
    await Deno.mkdir(`${dir}/bin`);
    for (const tool of ["deno", "nvidia-smi", "dpkg", "ldconfig", "xz"]) {
      await Deno.writeTextFile(
        `${dir}/bin/${tool}`,
        `#!/bin/sh\necho "${tool} $*" >> "${dir}/called"\nexit 1\n`,
      );
      await Deno.chmod(`${dir}/bin/${tool}`, 0o755);
    }
    for (const flag of ["--help", "-h"]) {
      const r = await runGpuScript(dir, [flag]);
      assert.equal(r.code, 0, `${flag}: ${r.stderr}`);
      assert.match(r.stdout, /^Usage: deno task bench:gpu/);
      for (const variable of ["SCALE", "T_SIM", "OUT", "XDG_RUNTIME_DIR"]) {
        assert.match(r.stdout, new RegExp(`^ {2}${variable} `, "m"), `${variable} documented`);
      }
      assert.equal(r.stderr, "");
      assert.ok(r.seconds < 10, `${flag} took ${r.seconds} s`);
    }
    const bad: [string[], string][] = [
      [["--bogus"], "--bogus"],
      [["--scale", "0.1"], "--scale"],
      [["fast"], "fast"],
      [[""], ""],
      [["--bogus", "--help"], "--bogus"],
    ];
    for (const [args, shown] of bad) {
      const r = await runGpuScript(dir, args);
      assert.equal(r.code, 2, `${JSON.stringify(args)}: ${r.stdout}${r.stderr}`);
      assert.equal(r.stdout, "");
      assert.ok(
        r.stderr.startsWith(`error: unknown argument '${shown}'`) && r.stderr.includes("--help"),
        r.stderr,
      );
      assert.ok(r.seconds < 10, `${JSON.stringify(args)} took ${r.seconds} s`);
    }
    // Nothing created (no OUT, no runtime folder) and no tool started.
    assert.deepEqual([...Deno.readDirSync(dir)].map((e) => e.name), ["bin"]);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
