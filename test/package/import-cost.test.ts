/**
 * Import cost of each subpath, measured the way an application bundler sees it: esbuild bundles
 * `import { name } from "cxmetrics/<subpath>"` from the sources (tree-shaken, minified, ESM,
 * platform "neutral" so no Node built-in can slip in), and the output is gzipped at level 9.
 * Targets (shared/BENCHMARKS.md): survey < 6 kB gzip; core has no runtime dependency but what it
 * must (decimal.js for money, date-fns/@date-fns/tz for calendar periods).
 */
import { readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { type Metafile, build } from "esbuild";
import { describe, expect, it } from "vitest";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as {
  exports: Record<string, unknown>;
};
const subpaths = Object.keys(pkg.exports)
  .filter((k) => k.startsWith("./") && k !== "./package.json")
  .map((k) => k.slice(2));

interface Bundle {
  gzip: number;
  packages: Set<string>;
  nodeBuiltins: Set<string>;
}

async function bundle(contents: string): Promise<Bundle> {
  const r = await build({
    stdin: { contents, resolveDir: root, loader: "ts", sourcefile: "entry.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "neutral",
    mainFields: ["module", "main"],
    conditions: ["import", "default"],
    external: ["node:*"],
    write: false,
    metafile: true,
    logLevel: "silent",
  });
  const code = r.outputFiles[0]?.contents ?? new Uint8Array();
  const meta = r.metafile as Metafile;
  const packages = new Set<string>();
  for (const input of Object.keys(meta.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    if (m?.[1]) packages.add(m[1]);
  }
  const nodeBuiltins = new Set<string>();
  for (const out of Object.values(meta.outputs))
    for (const imp of out.imports)
      if (imp.external && imp.path.startsWith("node:")) nodeBuiltins.add(imp.path);
  return { gzip: gzipSync(code, { level: 9 }).length, packages, nodeBuiltins };
}

const entry = (sub: string) => `./src/${sub === "." ? "index" : `${sub}/index`}.ts`;

describe("import cost", () => {
  it("survey: each export costs < 6 kB gzip", { timeout: 30_000 }, async () => {
    const mod = (await import("../../src/survey/index.js")) as Record<string, unknown>;
    const names = Object.keys(mod).filter((k) => typeof mod[k] === "function");
    expect(names.length).toBeGreaterThanOrEqual(8);
    const sizes: Record<string, number> = {};
    for (const name of names) {
      sizes[name] = (await bundle(`import { ${name} } from "${entry("survey")}"; export { ${name} };`)).gzip;
    }
    const whole = await bundle(`export * from "${entry("survey")}";`);
    console.info(`survey import cost (gzip bytes): ${JSON.stringify(sizes)}; whole subpath ${whole.gzip}`);
    for (const name of names) expect(sizes[name], name).toBeLessThan(6000);
    expect(whole.packages.size).toBe(0);
  });

  it("core pulls in no runtime dependency but decimal.js, date-fns and @date-fns/tz", async () => {
    const core = await bundle(`export * from "${entry("core")}";`);
    for (const p of core.packages) expect(["@date-fns/tz", "date-fns", "decimal.js"]).toContain(p);
  });

  it("no library subpath imports a Node built-in statically", {
    timeout: 60_000,
  }, async () => {
    const found: Record<string, string[]> = {};
    for (const sub of [".", ...subpaths]) {
      const b = await bundle(`export * from "${entry(sub)}";`);
      if (b.nodeBuiltins.size > 0) found[sub] = [...b.nodeBuiltins];
    }
    expect(found).toEqual({});
  });
});
