/**
 * The scorecard section: the worked example (examples/scorecard/customer-scorecard.json, bundled)
 * or a `--scorecard` file, evaluated from the data with the library's default metric registry.
 */
import { readFileSync } from "node:fs";
import { type MetricRegistry, createMetricRegistry, defaultMetricRegistry } from "../../scorecard/index.js";
import workedExample from "../../../examples/scorecard/customer-scorecard.json" with { type: "json" };
import { CliError } from "../io.js";

/** The bundled worked-example scorecard (Acme's customer perspective). */
export const WORKED_EXAMPLE_SCORECARD: unknown = workedExample;

/** The registry the report evaluates scorecards with: the library's default registry. */
export function reportRegistry(): MetricRegistry {
  return createMetricRegistry(defaultMetricRegistry);
}

/** Read a scorecard JSON file (validated later by evaluateScorecard). */
export function readScorecardFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, "utf8");
  } catch (e) {
    throw new CliError(
      `--scorecard ${file}: cannot read file (${(e as NodeJS.ErrnoException).code ?? String(e)})`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (e) {
    throw new CliError(`--scorecard ${file}: not valid JSON (${(e as Error).message})`);
  }
}
