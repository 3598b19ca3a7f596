/**
 * Pipeline metrics: definitions that need each customer's whole history (paid spells, first paid
 * period, reactivations) are generated as CTE pipelines, not single aggregates. The engine reduces
 * the rows to per-period event counts; the finaliser builds the domain accumulator's state from
 * them and calls its own `result`.
 *
 * @module
 */
import type { SqlEngine } from "./engine.js";

/**
 * A metric computed by a multi-step SQL pipeline. `O` is the ungrouped result, `G` the grouped one
 * (`by` given), `Opt` its options.
 */
export interface PipelineSqlMetric<O, G, Opt> {
  readonly kind: "pipeline";
  readonly name: string;
  /** Generate, run and finalise (may run more than one statement). */
  run(engine: SqlEngine, options: Opt): Promise<O | G>;
}
