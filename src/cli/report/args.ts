/** Option parsing shared by the report and the single-domain subcommands (node:util parseArgs, errors as exit code 2). */
import { parseArgs } from "node:util";
import { type Period, checkPeriod, checkTimeZone, parseInstant } from "../../core/time.js";
import { CliError } from "../io.js";

type OptionSpec = Record<string, { type: "string" | "boolean"; short?: string }>;

/** Parse `args` with the given options; unknown options and missing values become a `CliError` (exit 2). */
export function parseOptions<O extends OptionSpec>(
  command: string,
  args: string[],
  options: O,
): { values: { [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean }; positionals: string[] } {
  try {
    const r = parseArgs({ args, options, allowPositionals: true, strict: true });
    return r as unknown as {
      values: { [K in keyof O]?: O[K]["type"] extends "string" ? string : boolean };
      positionals: string[];
    };
  } catch (e) {
    throw new CliError(
      `${command}: ${(e as Error).message}\nRun "cxmetrics ${command} --help" for its options.`,
    );
  }
}

/** Check `--period` (default month). */
export function periodOption(command: string, value: string | undefined): Period {
  try {
    return checkPeriod(command, value ?? "month");
  } catch {
    throw new CliError(`${command}: --period is "${value}"; expected day, week, month, quarter or year`);
  }
}

/** Check `--tz` (default UTC). */
export function timeZoneOption(command: string, value: string | undefined): string {
  try {
    return checkTimeZone(command, value ?? "UTC");
  } catch {
    throw new CliError(`${command}: --tz is "${value}"; expected an IANA time zone such as Europe/Berlin`);
  }
}

/** Parse a positive number option. */
export function numberOption(
  command: string,
  name: string,
  value: string | undefined,
  fallback: number,
): number {
  if (value === undefined) return fallback;
  const x = Number(value);
  if (!Number.isFinite(x) || value.trim() === "")
    throw new CliError(`${command}: --${name} is "${value}"; expected a number`);
  return x;
}

/** Parse `--as-of` (an instant; a local date-time is read in `timeZone`); `undefined` when absent. */
export function asOfOption(command: string, value: string | undefined, timeZone: string): number | undefined {
  if (value === undefined) return undefined;
  try {
    return parseInstant(value, { timeZone, fn: command });
  } catch {
    throw new CliError(
      `${command}: --as-of is "${value}"; expected an ISO-8601 instant such as 2026-07-01T00:00:00Z`,
    );
  }
}

/** Print a value as JSON (Decimals as exact strings, Maps as objects, Dates as ISO); returns exit code 0. */
export function printJson(value: unknown): 0 {
  console.log(JSON.stringify(value, (_k, v) => (v instanceof Map ? Object.fromEntries(v) : v), 2));
  return 0;
}

/** The one positional file argument of a single-domain command. */
export function fileArgument(command: string, positionals: string[], usage: string): string {
  const [file, ...extra] = positionals;
  if (!file) throw new CliError(`${command}: a data file is required\n\n${usage}`);
  if (extra.length) throw new CliError(`${command}: unexpected argument "${extra[0]}"`);
  return file;
}
