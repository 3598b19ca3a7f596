/** Accumulators for the parallelFold tests (loaded by workers by module URL and export name). */
import type { Accumulator } from "../../src/core/accumulator.js";
import { InvalidInputError } from "../../src/core/errors.js";

/** Sum and count of finite numbers times `scale`; throws naming the index for a non-finite value. */
export function scaledSum(
  scale = 1,
): Accumulator<number, { sum: number; n: number }, { sum: number; n: number }> {
  return {
    init: () => ({ sum: 0, n: 0 }),
    add(s, x, i) {
      if (!Number.isFinite(x)) {
        throw new InvalidInputError(
          [
            {
              index: i,
              path: [],
              code: "non_finite_value",
              message: `value is ${x}; expected a finite number`,
            },
          ],
          { context: "scaledSum" },
        );
      }
      s.sum += x * scale;
      s.n++;
      return s;
    },
    merge(a, b) {
      a.sum += b.sum;
      a.n += b.n;
      return a;
    },
    result: (s) => ({ ...s }),
  };
}
