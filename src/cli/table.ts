/** Plain-text tables for the terminal: right-aligned numbers, a rule under the header. */

export type Cell = string | number | null | undefined;

/** Format a number with fixed decimals; null/undefined as "—". */
export function num(x: number | null | undefined, digits = 1): string {
  return x === null || x === undefined || !Number.isFinite(x) ? "—" : x.toFixed(digits);
}

/** Format an interval as "[lo, hi]". */
export function interval(ci: { lower: number; upper: number } | null | undefined, digits = 1): string {
  return ci ? `[${num(ci.lower, digits)}, ${num(ci.upper, digits)}]` : "—";
}

/** Render rows as an aligned text table. Columns whose header starts with a letter are left-aligned when their cells are text. */
export function renderTable(header: string[], rows: Cell[][]): string {
  const text = rows.map((r) => r.map((c) => (c === null || c === undefined ? "—" : String(c))));
  const widths = header.map((h, k) => Math.max(h.length, ...text.map((r) => (r[k] ?? "").length)));
  const numeric = header.map((_, k) =>
    rows.every(
      (r) =>
        r[k] === null ||
        r[k] === undefined ||
        typeof r[k] === "number" ||
        /^[-+\d.[\]—,% ]+$/.test(String(r[k])),
    ),
  );
  const fmt = (cells: string[]) =>
    cells
      .map((c, k) => (numeric[k] && k > 0 ? c.padStart(widths[k]!) : c.padEnd(widths[k]!)))
      .join("  ")
      .trimEnd();
  return [fmt(header), widths.map((w) => "─".repeat(w)).join("  "), ...text.map(fmt)].join("\n");
}
