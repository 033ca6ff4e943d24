// Browser stand-in for the HiGHS WebAssembly LP solver: the explore page does not load it
// (a 3 MB wasm file and its start-up for the few scenarios that need it: finitely many types
// in a market with a fringe). The worker refuses such scenarios with a clear message before
// solving (explore/web/worker.ts); this stub only makes any other path fail loudly.

export default function highsLoader(): never {
  throw new Error("the HiGHS LP solver is not loaded in the lpe explore page; solve this scenario with lpe solve");
}
