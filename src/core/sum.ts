/**
 * Compensated (Neumaier) summation: the running sum plus a correction term that keeps the
 * low-order bits lost by each floating-point addition. Error bound O(ε) independent of n,
 * against O(nε) for naive summation.
 *
 * @see A. Neumaier (1974), "Rundungsfehleranalyse einiger Verfahren zur Summation endlicher Summen", ZAMM 54.
 * @module
 */

/**
 * A mutable compensated sum. Mergeable: `a.addSum(b)` adds another sum's value exactly as far as
 * double precision allows.
 *
 * @example
 * const s = new NeumaierSum(); s.add(1e100); s.add(1); s.add(-1e100); s.value //=> 1
 */
export class NeumaierSum {
  /** Running sum. */
  sum = 0;
  /** Running compensation (the bits `sum` lost). */
  compensation = 0;

  /** Add one value. */
  add(x: number): this {
    const t = this.sum + x;
    if (Math.abs(this.sum) >= Math.abs(x)) this.compensation += this.sum - t + x;
    else this.compensation += x - t + this.sum;
    this.sum = t;
    return this;
  }

  /** Add another compensated sum. */
  addSum(other: { sum: number; compensation: number }): this {
    this.add(other.sum);
    this.add(other.compensation);
    return this;
  }

  /** The compensated total. */
  get value(): number {
    return this.sum + this.compensation;
  }
}

/**
 * Compensated sum of an array-like of numbers.
 *
 * @example
 * fsum([0.1, 0.2, 0.3]) //=> 0.6
 */
export function fsum(values: ArrayLike<number>): number {
  let sum = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    const t = sum + x;
    if (Math.abs(sum) >= Math.abs(x)) c += sum - t + x;
    else c += x - t + sum;
    sum = t;
  }
  return sum + c;
}
