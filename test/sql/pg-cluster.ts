/**
 * A throwaway PostgreSQL cluster for tests: initdb into a temp dir, pg_ctl start on a Unix socket
 * in that dir (no TCP), stopped and deleted by `stop()`. When PGHOST is set (a CI script started a
 * server), that server is used instead. When neither is possible the tests skip with a message
 * (`describePg`); in CI (env CI set) a missing PostgreSQL fails instead of skipping.
 */
import { execFileSync } from "node:child_process";
import { chmodSync, chownSync, existsSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import pg from "pg";
import { describe } from "vitest";

/** Directory of the PostgreSQL binaries (env PG_BIN, else the newest Debian /usr/lib/postgresql/N/bin, else PATH). */
export function pgBinDir(): string | null {
  if (process.env.PG_BIN && existsSync(join(process.env.PG_BIN, "initdb"))) return process.env.PG_BIN;
  const base = "/usr/lib/postgresql";
  if (existsSync(base)) {
    const versions = readdirSync(base)
      .filter((v) => existsSync(join(base, v, "bin", "initdb")))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(base, versions[0], "bin");
  }
  try {
    const p = execFileSync("sh", ["-c", "command -v initdb"], { encoding: "utf8" }).trim();
    return p ? join(p, "..") : null;
  } catch {
    return null;
  }
}

/** True when a server is given by env (PGHOST) or one can be started here. */
export const hasPostgres = Boolean(process.env.PGHOST) || pgBinDir() !== null;

if (!hasPostgres) {
  const msg = "[cxmetrics tests] PostgreSQL not found (no PGHOST, no initdb): PostgreSQL suites are skipped.";
  if (process.env.CI) throw new Error(`${msg} CI must install postgresql (see .ci/run).`);
  console.warn(msg);
}

/** `describe` that is skipped, with a message in its name, when PostgreSQL is not available. */
export const describePg: typeof describe = (
  hasPostgres
    ? describe
    : (name: string, fn: () => void) => describe.skip(`${name} (skipped: PostgreSQL not installed)`, fn)
) as typeof describe;

/** A running server and a pool on it. */
export interface PgCluster {
  pool: pg.Pool;
  stop(): Promise<void>;
}

/** Start a throwaway cluster (or connect to PGHOST) and return a pool on a fresh database. */
export async function startPg(): Promise<PgCluster> {
  if (process.env.PGHOST) {
    const admin = new pg.Client({ database: process.env.PGDATABASE ?? "postgres" });
    await admin.connect();
    const db = `cxm_test_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
    await admin.query(`CREATE DATABASE ${db}`);
    await admin.end();
    const pool = new pg.Pool({ database: db, max: 2 });
    return {
      pool,
      async stop() {
        await pool.end();
        const c = new pg.Client({ database: process.env.PGDATABASE ?? "postgres" });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${db}`);
        await c.end();
      },
    };
  }
  const bin = pgBinDir();
  if (bin === null) throw new Error("PostgreSQL binaries not found");
  const dir = mkdtempSync(join(tmpdir(), "cxm-pg-"));
  chmodSync(dir, 0o755);
  const asRoot = process.getuid?.() === 0;
  // initdb refuses to run as root: run the server as the `postgres` system user then.
  const run = (cmd: string, args: string[]) => {
    if (asRoot) execFileSync("runuser", ["-u", "postgres", "--", join(bin, cmd), ...args], { stdio: "pipe" });
    else execFileSync(join(bin, cmd), args, { stdio: "pipe" });
  };
  if (asRoot) chownSync(dir, Number(execFileSync("id", ["-u", "postgres"], { encoding: "utf8" }).trim()), 0);
  const data = join(dir, "data");
  run("initdb", ["-D", data, "-A", "trust", "-U", "postgres", "--no-sync", "-E", "UTF8", "--locale=C"]);
  run("pg_ctl", [
    "-D",
    data,
    "-o",
    `-k ${dir} -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off`,
    "-l",
    join(dir, "log"),
    "-w",
    "start",
  ]);
  const pool = new pg.Pool({ host: dir, user: "postgres", database: "postgres", max: 2 });
  return {
    pool,
    async stop() {
      await pool.end();
      try {
        run("pg_ctl", ["-D", data, "-m", "immediate", "-w", "stop"]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    },
  };
}
