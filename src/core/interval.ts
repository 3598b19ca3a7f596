/**
 * The confidence-interval shape every cxmetrics result uses.
 *
 * @module
 */

/**
 * A two-sided confidence interval: bounds in the unit of the estimate, the confidence level
 * (e.g. 0.95) and the name of the method that produced it (e.g. `"wilson"`).
 *
 * @example
 * const ci: ConfidenceInterval = { lower: 0.41, upper: 0.59, level: 0.95, method: "wilson" };
 */
export interface ConfidenceInterval {
  /** Lower bound. */
  lower: number;
  /** Upper bound. */
  upper: number;
  /** Confidence level in (0, 1), e.g. 0.95. */
  level: number;
  /** Method name, e.g. `"wilson"`, `"clopperPearson"`. */
  method: string;
}
