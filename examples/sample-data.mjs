// Reads the bundled sample data (examples/data/*.csv) into plain records, in Node and in Deno
// (node:fs works in both; Deno needs --allow-read). The sample files have no quoted fields, so a
// split per line is enough here; for real CSV use a CSV parser (the CLI uses csv-parse).
import { readFileSync } from "node:fs";

/** The records of examples/data/<name>.csv: one object per row, keyed by the header, cells as strings. */
export function sampleData(name) {
  const text = readFileSync(new URL(`./data/${name}.csv`, import.meta.url), "utf8");
  const [header, ...lines] = text.trim().split(/\r?\n/);
  const columns = header.split(",");
  return lines.map((line) => {
    const cells = line.split(",");
    return Object.fromEntries(columns.map((c, k) => [c, cells[k] ?? ""]));
  });
}
