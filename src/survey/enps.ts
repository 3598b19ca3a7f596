/**
 * Employee Net Promoter Score: the NPS computation on employees' 0–10 answers to "how likely are
 * you to recommend this organisation as a place to work".
 *
 * @module
 */
import type { Accumulator } from "../core/accumulator.js";
import type { Accessor } from "../core/values.js";
import {
  type NpsOptions,
  type NpsResult,
  type NpsState,
  makeNpsAccumulator,
  npsImpl,
  resolveNpsOptions,
} from "./nps.js";

/** Options of {@link enps}: the same as NPS. */
export type EnpsOptions = NpsOptions;
/** Result of {@link enps}: the same shape as NPS (points −100…100). */
export type EnpsResult = NpsResult;

/**
 * eNPS = 100·(promoters − detractors)/n over employees' 0–10 answers (promoters 9–10, passives 7–8,
 * detractors 0–6), with the same standard error, intervals (`wald`, `adjustedWald`, `bootstrap`),
 * edge cases and errors as {@link nps}; messages name `enps`.
 *
 * @see Bain & Company, "Introducing: The Net Promoter System" (employee NPS); Reichheld (2003).
 * @throws {InvalidInputError} as {@link nps}.
 * @example
 * enps([10, 10, 7, 2, 5]).score //=> 0
 */
export function enps(
  scores: ArrayLike<number | null | undefined> | Iterable<number | null | undefined>,
  options?: EnpsOptions,
): EnpsResult;
export function enps<T>(
  rows: Iterable<T> | ArrayLike<T>,
  accessor: Accessor<T>,
  options?: EnpsOptions,
): EnpsResult;
export function enps(data: unknown, accessorOrOptions?: unknown, maybeOptions?: unknown): EnpsResult {
  return npsImpl("enps", data, accessorOrOptions, maybeOptions);
}

/**
 * The eNPS accumulator (the NPS accumulator, with messages naming `enps`).
 *
 * @example
 * fold([10, 3], enpsAccumulator()).score //=> 0
 */
export function enpsAccumulator(
  options?: EnpsOptions,
): Accumulator<number | null | undefined, NpsState, EnpsResult> {
  return makeNpsAccumulator(resolveNpsOptions("enps", options));
}
