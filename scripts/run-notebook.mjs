#!/usr/bin/env node
// Runs the code cells of examples/notebook.ipynb in order under Deno, outside Jupyter (CI does this):
// the cells are joined into one TypeScript module, written to a temporary dot-file beside the
// notebook (so bare npm imports such as "vega" resolve from the repo's node_modules, as in the
// kernel) and run with `deno run` from the notebook's folder, with the repo's deno.json import map
// (cxmetrics/* → dist/, so run `npm run build` first). Exits with Deno's exit code.
//
//   node scripts/run-notebook.mjs [path/to/notebook.ipynb]
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

const root = resolve(dirname(fileURLToPath(import.meta.url)), "..");
const notebook = resolve(process.argv[2] ?? join(root, "examples/notebook.ipynb"));
const nb = JSON.parse(readFileSync(notebook, "utf8"));
const cells = nb.cells
  .filter((c) => c.cell_type === "code")
  .map((c) => (Array.isArray(c.source) ? c.source.join("") : c.source));
if (cells.length === 0) {
  console.error(`${notebook}: no code cells`);
  process.exit(2);
}
// A cell's last bare expression is Jupyter's display value; outside Jupyter it is just evaluated.
const source = cells.map((c, i) => `// ---- cell ${i + 1}\n${c}\n`).join("\n");
const file = join(dirname(notebook), `.notebook-run-${process.pid}.ts`);
writeFileSync(file, source);
const deno = process.env.DENO ?? join(root, "node_modules/.bin/deno");
const r = spawnSync(
  deno,
  ["run", "--quiet", "--allow-read", "--allow-env", "--config", join(root, "deno.json"), file],
  {
    cwd: dirname(notebook),
    stdio: "inherit",
  },
);
if (r.status === 0) rmSync(file, { force: true });
if (r.error) {
  console.error(`cannot run deno (${r.error.message}); set DENO=/path/to/deno`);
  process.exit(1);
}
console.error(
  r.status === 0
    ? `notebook ok: ${cells.length} code cells ran in order`
    : `notebook failed (cell sources joined in ${file}; delete it when done)`,
);
process.exit(r.status ?? 1);
