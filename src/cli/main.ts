/**
 * The `cxmetrics` command line: reads CSV/JSON files, validates them with the library's schemas,
 * computes the measures and prints tables (or JSON), or writes the HTML report.
 *
 *   cxmetrics survey <file> [--by segment] [--period month] [--tz Europe/Berlin] [--json] [--stream] [--engine duckdb|postgres]
 *   cxmetrics report --data <dir> [--scorecard file.json] [--period month] [--tz Europe/Berlin] [--out report.html] [--json out.json]
 *   cxmetrics retention|clv|drivers|service <file> [options]
 *
 * Exit codes: 0 ok, 2 bad input (a message names the file, row and column), 1 anything else.
 */
import { CxMetricsError, InvalidInputError } from "../core/errors.js";
import { COMMANDS } from "./commands/index.js";
import { CliError } from "./io.js";

const USAGE = `cxmetrics — customer metrics from survey, subscription, order and ticket files

Usage:
  cxmetrics <command> [arguments] [options]

Commands:
${Object.entries(COMMANDS)
  .map(([name, c]) => `  ${name.padEnd(10)} ${c.summary}`)
  .join("\n")}

Run "cxmetrics <command> --help" for a command's options.`;

async function main(argv: string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (!command || command === "--help" || command === "-h" || command === "help") {
    console.log(USAGE);
    return command ? 0 : 2;
  }
  if (command === "--version" || command === "-v") {
    console.log(process.env.npm_package_version ?? "cxmetrics");
    return 0;
  }
  const cmd = COMMANDS[command];
  if (!cmd) {
    console.error(`cxmetrics: unknown command "${command}"\n\n${USAGE}`);
    return 2;
  }
  if (rest.includes("--help") || rest.includes("-h")) {
    console.log(cmd.usage);
    return 0;
  }
  return await cmd.run(rest);
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    if (error instanceof CliError) {
      console.error(`cxmetrics: ${error.message}`);
      process.exitCode = error.exitCode;
    } else if (
      error instanceof InvalidInputError ||
      (error instanceof CxMetricsError && error.code === "invalid_option")
    ) {
      console.error(`cxmetrics: ${error.message}`);
      process.exitCode = 2;
    } else {
      console.error(error instanceof Error ? (error.stack ?? error.message) : String(error));
      process.exitCode = 1;
    }
  },
);
