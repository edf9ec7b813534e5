/**
 * The chart libraries the report inlines: chart.js and @sgratzl/chartjs-chart-boxplot, read
 * from the npm packages pinned in deno.json (resolved with `import.meta.resolve`, so the Deno
 * npm cache and a node_modules folder both work after `deno install`). Source-map comments
 * are dropped and URLs in licence banners removed, so the page names no external address; the
 * packages' licence texts are kept in front of each bundle.
 *
 * @module
 */

/** One inlined library. */
export interface VendorScript {
  /** npm package name. */
  name: string;
  /** Version read from the package's package.json. */
  version: string;
  /** The package's licence text. */
  license: string;
  /** The UMD bundle, ready to put inside a `<script>` element. */
  source: string;
}

/** The packages and the UMD bundle (path inside the package) the report needs, in load order. */
export const VENDOR_PACKAGES = [
  { name: "chart.js", bundle: "dist/chart.umd.min.js" },
  { name: "@sgratzl/chartjs-chart-boxplot", bundle: "build/index.umd.min.js" },
] as const;

/** A package that cannot be found or read; says how to fix it. */
export class VendorError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "VendorError";
  }
}

async function packageRoot(name: string): Promise<URL> {
  let entry: string;
  try {
    entry = import.meta.resolve(name);
  } catch (error) {
    throw new VendorError(
      `cannot resolve the npm package "${name}" (${(error as Error).message}); it must be in ` +
        "deno.json imports; run `deno install`",
    );
  }
  if (!entry.startsWith("file:")) {
    throw new VendorError(
      `the npm package "${name}" resolved to ${entry}, not to a file; run \`deno install\` so ` +
        "that its files are in the npm cache",
    );
  }
  let dir = new URL(".", entry);
  for (let depth = 0; depth < 8; depth++) {
    try {
      const pkg = JSON.parse(await Deno.readTextFile(new URL("package.json", dir)));
      if (pkg.name === name) return dir;
    } catch { /* no package.json here */ }
    const parent = new URL("..", dir);
    if (parent.href === dir.href) break;
    dir = parent;
  }
  throw new VendorError(`no package.json of "${name}" above ${entry}`);
}

async function readLicense(root: URL, name: string): Promise<string> {
  for (const file of ["LICENSE", "LICENSE.md", "LICENSE.txt", "license"]) {
    try {
      return (await Deno.readTextFile(new URL(file, root))).trim();
    } catch { /* try the next name */ }
  }
  throw new VendorError(`the npm package "${name}" has no LICENSE file at ${root.pathname}`);
}

/**
 * Makes a bundle safe to inline: drops `//# sourceMappingURL` lines, removes URLs from
 * comments, and escapes any `</script` so the element cannot end early.
 *
 * @param source the bundle as published
 */
export function sanitizeBundle(source: string): string {
  return source
    .replace(/^\s*\/\/# sourceMappingURL=.*$/gm, "")
    .replace(/\/\*[\s\S]*?\*\//g, (comment) => comment.replace(/\s*\|?\s*https?:\/\/\S+/g, ""))
    .replace(/<\/script/gi, "<\\/script");
}

/** Makes a licence text safe to put in a block comment. */
function commentSafe(text: string): string {
  return text.replace(/\*\//g, "* /").replace(/https?:\/\/\S+/g, "");
}

/** Reads every package of {@linkcode VENDOR_PACKAGES}; throws a VendorError saying what to do. */
export async function loadVendorScripts(): Promise<VendorScript[]> {
  const out: VendorScript[] = [];
  for (const { name, bundle } of VENDOR_PACKAGES) {
    const root = await packageRoot(name);
    const version = String(
      JSON.parse(await Deno.readTextFile(new URL("package.json", root))).version,
    );
    let source: string;
    try {
      source = await Deno.readTextFile(new URL(bundle, root));
    } catch (error) {
      throw new VendorError(
        `cannot read ${name}/${bundle} (${
          (error as Error).message
        }); reinstall with \`deno install\``,
      );
    }
    const license = await readLicense(root, name);
    out.push({
      name,
      version,
      license,
      source:
        `/* ${name} ${version}, inlined from npm (${bundle}).\n${commentSafe(license)}\n*/\n` +
        sanitizeBundle(source),
    });
  }
  return out;
}
