/** Load CSV records (from parseCsv) into a PostgreSQL table of text columns; empty cells become NULL. */
import type pg from "pg";
import { quoteIdent } from "../../src/sql/dialect.js";

export async function loadPgTable(
  pool: pg.Pool,
  table: string,
  rows: readonly Record<string, string>[],
  types: Readonly<Record<string, string>> = {},
): Promise<void> {
  const cols = Object.keys(rows[0] ?? {});
  const q = (s: string) => quoteIdent("postgres", s);
  await pool.query(`DROP TABLE IF EXISTS ${q(table)}`);
  await pool.query(
    `CREATE TABLE ${q(table)} (${cols.map((c) => `${q(c)} ${types[c] ?? "text"}`).join(", ")})`,
  );
  const batch = Math.max(1, Math.floor(30000 / Math.max(1, cols.length)));
  for (let i = 0; i < rows.length; i += batch) {
    const part = rows.slice(i, i + batch);
    const values: unknown[] = [];
    const tuples = part.map(
      (r) =>
        `(${cols
          .map((c) => {
            const v = r[c];
            values.push(v === "" || v === undefined ? null : v);
            return `$${values.length}`;
          })
          .join(", ")})`,
    );
    await pool.query(`INSERT INTO ${q(table)} VALUES ${tuples.join(", ")}`, values);
  }
}
