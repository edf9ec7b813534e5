/** What a result records about the machine and the code: environment, commit, time. */

/** Deno, OS, CPU and memory of the machine that ran a benchmark. */
export interface Environment {
  deno: string;
  v8: string;
  os: string;
  arch: string;
  cpu: string;
  cores: number;
  memory_bytes: number;
  hostname: string;
}

/** Describes this machine (never throws: unknown fields are "unknown"). */
export function environment(): Environment {
  let cpu = "unknown";
  try {
    const info = Deno.readTextFileSync("/proc/cpuinfo");
    cpu = info.match(/^model name\s*:\s*(.+)$/m)?.[1]?.trim() ?? cpu;
  } catch { /* not Linux */ }
  let memory = 0;
  try {
    memory = Deno.systemMemoryInfo().total;
  } catch { /* not permitted */ }
  let hostname = "unknown";
  try {
    hostname = Deno.hostname();
  } catch { /* not permitted */ }
  return {
    deno: Deno.version.deno,
    v8: Deno.version.v8,
    os: `${Deno.build.os} ${Deno.osRelease?.() ?? ""}`.trim(),
    arch: Deno.build.arch,
    cpu,
    cores: navigator.hardwareConcurrency ?? 0,
    memory_bytes: memory,
    hostname,
  };
}

/** The git commit of the working tree (with "-dirty" if modified), or "unknown". */
export function gitCommit(): string {
  try {
    const cwd = new URL("..", import.meta.url).pathname;
    const run = (args: string[]) => {
      const out = new Deno.Command("git", { args, cwd, stdout: "piped", stderr: "null" })
        .outputSync();
      return out.success ? new TextDecoder().decode(out.stdout).trim() : "";
    };
    const head = run(["rev-parse", "--short=12", "HEAD"]);
    if (!head) return "unknown";
    const dirty = run(["status", "--porcelain", "--untracked-files=no"]) !== "";
    return dirty ? `${head}-dirty` : head;
  } catch {
    return "unknown";
  }
}

/** Peak resident memory of this process so far (bytes), from /proc; 0 where unavailable. */
export function peakRssBytes(): number {
  try {
    const status = Deno.readTextFileSync("/proc/self/status");
    const kb = Number(status.match(/^VmHWM:\s*(\d+)\s*kB/m)?.[1] ?? 0);
    return kb * 1024;
  } catch {
    return 0;
  }
}
