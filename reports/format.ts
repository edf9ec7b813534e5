/** Number, time and HTML formatting shared by the report's tables and charts. */

/** Escapes text for HTML element content and attribute values. */
export function escapeHtml(text: unknown): string {
  return String(text)
    .replace(/&/g, "&amp;")
    .replace(/</g, "&lt;")
    .replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;")
    .replace(/'/g, "&#39;");
}

/**
 * A number with `digits` significant digits; exponent form below 1e-3 and from 1e6; "—" for
 * null, undefined or non-finite values.
 */
export function formatNumber(x: number | null | undefined, digits = 3): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  const a = Math.abs(x);
  if (a === 0) return "0";
  if (a < 1e-3 || a >= 1e6) return x.toExponential(digits - 1);
  return Number(x.toPrecision(digits)).toLocaleString("en", { maximumFractionDigits: 12 });
}

/** A signed percentage with one decimal, e.g. "+20.3 %"; "—" when null. */
export function formatPercent(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return "—";
  return `${x >= 0 ? "+" : "−"}${Math.abs(x * 100).toFixed(1)} %`;
}

/** An ISO time as "2026-12-03 18:49 UTC" (invalid times are returned unchanged). */
export function formatTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.toISOString().slice(0, 16).replace("T", " ")} UTC`;
}

/** Bytes in binary units, e.g. "23.5 GiB". */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes <= 0) return "—";
  const units = ["B", "KiB", "MiB", "GiB", "TiB"];
  let v = bytes;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${v.toFixed(u === 0 ? 0 : 1)} ${units[u]}`;
}

/** A short commit for labels: the first 7 characters plus "-dirty" when present. */
export function shortCommit(commit: string): string {
  if (!commit) return "unknown";
  const dirty = commit.endsWith("-dirty");
  const hash = dirty ? commit.slice(0, -6) : commit;
  return hash.slice(0, 7) + (dirty ? "-dirty" : "");
}

/**
 * Parses `--since`: an ISO date or date-time; returns the normalized ISO string.
 *
 * @param value the flag's value
 */
export function parseSince(value: string): string {
  const ok = /^\d{4}-\d{2}-\d{2}([T ][\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/.test(value.trim());
  const time = Date.parse(value.trim().replace(" ", "T"));
  if (!ok || Number.isNaN(time)) {
    throw new RangeError(
      `--since is '${value}'; it must be an ISO date or date-time, e.g. 2026-01-31 or ` +
        "2026-01-31T18:00Z",
    );
  }
  return new Date(time).toISOString();
}
