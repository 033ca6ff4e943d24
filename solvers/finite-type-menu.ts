// Finite-type menus of per-bin quality profiles (docs/model.md section 4): values, aggregate quality,
// and the menu a set of items makes once transfers are chosen — the smallest rents that satisfy
// every incentive and participation constraint (longest paths), with envy cycles pooled — plus
// the two clean-ups the certificate tries on items from an iteration (near-identical items pooled,
// tiny items set to zero). Shared by the token-distribution solver and its tests.

/** A(Q) = ((1/M) Σ_b Q_b^(1/σ))^σ for the row at `off` (scaled by the largest entry: no overflow). */
export function aggregateQuality(Q: ArrayLike<number>, off: number, m: number, sigma: number): number {
  let qmax = 0;
  for (let b = 0; b < m; b++) if (Q[off + b] > qmax) qmax = Q[off + b];
  if (qmax === 0) return 0;
  const r = 1 / sigma;
  let s = 0;
  for (let b = 0; b < m; b++) if (Q[off + b] > 0) s += Math.pow(Q[off + b] / qmax, r);
  return qmax * Math.pow(s / m, sigma);
}

/** (1/M) Σ_b w_b Q_b for the rows at wOff and qOff. */
export function profileValue(w: ArrayLike<number>, wOff: number, Q: ArrayLike<number>, qOff: number, m: number): number {
  let s = 0;
  for (let b = 0; b < m; b++) s += w[wOff + b] * Q[qOff + b];
  return s / m;
}

/**
 * The menu Q (n × m) with the smallest rents R ≥ 0 satisfying every IC pair: longest paths
 * R_i = max(0, max_j R_j + u_i(Q^j) − u_j(Q^j)), by label correcting with a queue (a type is
 * re-examined only when its rent rose). Improvements below 1e-14 of the largest own value are
 * rounding and ignored (the IC check's tolerance is 1e-9 of scale). An allocation no transfers
 * implement has a positive cycle of envy (a type relabelled n times lies on or behind one); near
 * the optimum such cycles join types that the optimum bunches, and their items differ only by the
 * iteration's error: the types of the cycle are pooled on their probability-weighted mean item
 * (values are linear, so every type values the mean at the mean of its values; cost is convex, so
 * the mean is cheaper) and the search repeats. Null only if pooling fails to terminate.
 */
export function implementableMenu(
  Qin: Float64Array,
  w: Float64Array,
  p: Float64Array,
  n: number,
  m: number,
): { Q: Float64Array; G: Float64Array[]; R: Float64Array; pooled: number } | null {
  const Q = Float64Array.from(Qin);
  let pooled = 0;
  const R = new Float64Array(n);
  const pred = new Int32Array(n);
  const count = new Int32Array(n);
  const inQ = new Uint8Array(n);
  const queue = new Int32Array(n + 1);
  const G = allValues(Q, w, n, m);
  for (let round = 0; round <= n; round++) {
    let top = 0;
    for (let i = 0; i < n; i++) top = Math.max(top, Math.abs(G[i][i]));
    const tol = 1e-14 * top;
    R.fill(0);
    pred.fill(-1);
    count.fill(0);
    // circular queue of the types whose rent rose
    let head = 0;
    let size = n;
    for (let i = 0; i < n; i++) {
      queue[i] = i;
      inQ[i] = 1;
    }
    let onCycle = -1;
    let sinceCheck = 0;
    while (size > 0 && onCycle < 0) {
      // Every n examinations, look for a cycle in the predecessor graph (it can only close
      // around a positive cycle): found after O(n²) work instead of the O(n³) of the count test.
      if (++sinceCheck >= n) {
        sinceCheck = 0;
        onCycle = predCycle(pred, n);
        if (onCycle >= 0) break;
      }
      const j = queue[head];
      head = (head + 1) % (n + 1);
      size--;
      inQ[j] = 0;
      const gj = G[j];
      const base = R[j] - gj[j];
      for (let i = 0; i < n; i++) {
        if (i === j) continue;
        const v = base + gj[i];
        if (v > R[i] + tol) {
          R[i] = v;
          pred[i] = j;
          if (!inQ[i]) {
            if (++count[i] > n) {
              onCycle = i;
              break;
            }
            queue[(head + size) % (n + 1)] = i;
            size++;
            inQ[i] = 1;
          }
        }
      }
    }
    if (onCycle < 0) return { Q, G, R, pooled };
    // Walk back n steps to land on the cycle, then collect it.
    let x = onCycle;
    for (let k = 0; k < n; k++) x = pred[x] >= 0 ? pred[x] : x;
    const cycle: number[] = [];
    for (let y = x; y >= 0 && cycle.length <= n; y = pred[y]) {
      if (cycle.includes(y)) break;
      cycle.push(y);
    }
    if (cycle.length < 2) return null;
    let mass = 0;
    const mean = new Float64Array(m);
    for (const i of cycle) {
      mass += p[i];
      for (let b = 0; b < m; b++) mean[b] += p[i] * Q[i * m + b];
    }
    for (const i of cycle) for (let b = 0; b < m; b++) Q[i * m + b] = mean[b] / mass;
    // only the pooled items changed: their rows of G
    for (const j of cycle) for (let i = 0; i < n; i++) G[j][i] = profileValue(w, i * m, Q, j * m, m);
    pooled += cycle.length;
  }
  return null;
}

/** Items pooled (p-weighted mean) within groups whose items differ by at most eps relative to
 *  the largest quality (union–find over pairs); null when no two items are that close. */
export function poolNearIdentical(Q: Float64Array, p: Float64Array, n: number, m: number, eps: number): Float64Array | null {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      i = parent[i];
    }
    return i;
  };
  const top = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let b = 0; b < m; b++) top[i] = Math.max(top[i], Math.abs(Q[i * m + b]));
  let joined = false;
  for (let i = 0; i < n; i++) {
    if (top[i] === 0) continue;
    for (let j = i + 1; j < n; j++) {
      if (top[j] === 0) continue;
      const lim = eps * Math.max(top[i], top[j]);
      let close = true;
      for (let b = 0; b < m && close; b++) if (Math.abs(Q[i * m + b] - Q[j * m + b]) > lim) close = false;
      if (close && find(i) !== find(j)) {
        parent[find(i)] = find(j);
        joined = true;
      }
    }
  }
  if (!joined) return null;
  const out = new Float64Array(n * m);
  const mass = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const r = find(i);
    mass[r] += p[i];
    for (let b = 0; b < m; b++) out[r * m + b] += p[i] * Q[i * m + b];
  }
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (r !== i) continue;
    for (let b = 0; b < m; b++) out[r * m + b] /= mass[r];
  }
  for (let i = 0; i < n; i++) {
    const r = find(i);
    if (r !== i) for (let b = 0; b < m; b++) out[i * m + b] = out[r * m + b];
  }
  return out;
}

/** A copy of Q with every item whose largest quality is below eps times the largest quality of
 *  all items set to zero (exclusion). */
export function snapTiny(Q: Float64Array, n: number, m: number, eps: number): Float64Array {
  let top = 0;
  for (let k = 0; k < n * m; k++) top = Math.max(top, Q[k]);
  const out = Float64Array.from(Q);
  for (let i = 0; i < n; i++) {
    let t = 0;
    for (let b = 0; b < m; b++) t = Math.max(t, Q[i * m + b]);
    if (t < eps * top) out.fill(0, i * m, (i + 1) * m);
  }
  return out;
}

/** G[j][i] = u_i(Q^j): every type's value of every item. */
export function allValues(Q: Float64Array, w: Float64Array, n: number, m: number): Float64Array[] {
  const G: Float64Array[] = [];
  for (let j = 0; j < n; j++) {
    const g = new Float64Array(n);
    for (let i = 0; i < n; i++) g[i] = profileValue(w, i * m, Q, j * m, m);
    G.push(g);
  }
  return G;
}

/** A node on a cycle of the predecessor graph (pred[i] = −1: none), or −1 if it has none. */
function predCycle(pred: Int32Array, n: number): number {
  const stamp = new Int32Array(n).fill(-1);
  for (let s = 0; s < n; s++) {
    if (stamp[s] >= 0) continue;
    let x = s;
    while (x >= 0 && stamp[x] < 0) {
      stamp[x] = s;
      x = pred[x];
    }
    if (x >= 0 && stamp[x] === s) return x;
  }
  return -1;
}
