/**
 * Run the `cxmetrics` CLI in a child process: the built dist/cli/main.js when it is newer than every
 * source file (CI builds first), else src/cli/main.ts through tsx (or the entry in $CXMETRICS_CLI_ENTRY).
 */
import { execFile } from "node:child_process";
import { existsSync, readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");

function newestMtime(dir: string): number {
  let max = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    max = Math.max(max, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return max;
}

const dist = join(ROOT, "dist/cli/main.js");
const useDist = existsSync(dist) && statSync(dist).mtimeMs >= newestMtime(join(ROOT, "src"));

/** The node arguments that start the CLI. */
export const CLI: string[] = process.env.CXMETRICS_CLI_ENTRY
  ? ["--import", "tsx", process.env.CXMETRICS_CLI_ENTRY]
  : useDist
    ? [dist]
    : ["--import", "tsx", join(ROOT, "src/cli/main.ts")];

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run `cxmetrics ...args` (stdout/stderr are pipes, not a TTY: no colours, no progress). */
export function runCli(
  args: string[],
  options: { cwd?: string; env?: Record<string, string> } = {},
): Promise<CliRun> {
  return new Promise((done) => {
    execFile(
      process.execPath,
      [...CLI, ...args],
      {
        cwd: options.cwd ?? ROOT,
        env: { ...process.env, NO_COLOR: "1", ...options.env },
        maxBuffer: 64 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
        done({ code, stdout, stderr });
      },
    );
  });
}
