/**
 * A row's period on a grid of boundaries computed by cxmetrics (in the time zone, with the in-memory
 * calendar code) and inlined as literals: a balanced tree of comparisons, so no row pays a
 * time-zone conversion and no range join is needed.
 *
 * @module
 */

/**
 * SQL of the index j of `value` on `boundaries` (`b[j] ≤ value < b[j+1]`, j = 0 … n − 1 with
 * n = boundaries.length − 1): `below` when value < b[0], `above` when value ≥ b[n], NULL for NULL.
 * `literal` writes one boundary (epoch ms as an integer, or a timestamp literal).
 */
export function gridIndexSql(
  value: string,
  boundaries: readonly number[],
  literal: (ms: number) => string,
  outside: { below: number; above: number },
): string {
  const n = boundaries.length - 1;
  const tree = (lo: number, hi: number): string => {
    if (hi - lo === 1) return String(lo);
    const mid = (lo + hi) >> 1;
    return `CASE WHEN ${value} < ${literal(boundaries[mid]!)} THEN ${tree(lo, mid)} ELSE ${tree(mid, hi)} END`;
  };
  const inside = n >= 1 ? tree(0, n) : String(outside.above);
  return (
    `CASE WHEN ${value} IS NULL THEN NULL WHEN ${value} < ${literal(boundaries[0]!)} THEN ${outside.below} ` +
    `WHEN ${value} >= ${literal(boundaries[n]!)} THEN ${outside.above} ELSE ${inside} END`
  );
}

/** An epoch-ms boundary as an integer literal. */
export const epochLiteral = (ms: number): string => String(Math.trunc(ms));
