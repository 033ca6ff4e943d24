// The position of a value in an ascending array, by bisection: the index of an atom of a discrete
// type law (whose atoms ascend). A solution's pointAt is asked for every atom (the observables,
// the summary's points), and a linear search per atom made a 100,000-atom solve quadratic.

/** The index of `x` in the ascending `values`, or −1 when it is not one of them (NaN: −1). */
export function indexOfSorted(values: ArrayLike<number>, x: number): number {
  let lo = 0;
  let hi = values.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (values[mid] < x) lo = mid + 1;
    else hi = mid;
  }
  return values.length > 0 && values[lo] === x ? lo : -1;
}
