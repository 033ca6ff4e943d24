// Restricted formulas typed by users (e.g. the density of an `expression` distribution,
// README "Scenario reference"), compiled to a plain JS function of named numeric variables.
//
// Why it is safe: mathjs is used only to PARSE the formula. The tree is then walked and every
// node must be one of: a finite numeric constant, a declared variable, `pi` or `e`, the
// operators + − * / ^ (binary) and unary − +, parentheses, or a call of a whitelisted scalar
// function (exp, log, sqrt, sin, erf, …) with the right number of arguments. Everything else —
// assignment, function definition, property access, indexing, arrays/matrices, objects, ranges,
// conditionals, strings, several statements, units, `import`, `evaluate`, `zeros`, … — is
// rejected with an InputError at the caller's JSON path. The accepted tree is compiled into a
// closure over JS Math (and mathjs's scalar erf/gamma), never evaluated by mathjs. So a formula
// can only combine a bounded number (source ≤ 1000 characters, ≤ 500 nodes) of scalar
// operations on scalars: evaluation cannot allocate without bound, cannot loop or recurse, and
// cannot reach the mathjs instance or the process. As defence in depth (TOOLCHAIN.md
// "Restricted expressions") the private mathjs instance also has import, createUnit, evaluate,
// parse, simplify, derivative, resolve, reviver and config replaced by functions that throw.
//
// mathjs is required lazily, on the first formula: all of it takes 0.4–0.7 s to load; the build
// bundles the parser and erf and gamma alone (engine/lazy-require.ts, ~25 ms).

import { requirePackage } from "../lazy-require.js";
import { InputError, NumericalError } from "../errors.js";

export const MAX_EXPRESSION_LENGTH = 1000;
export const MAX_EXPRESSION_NODES = 500;
const MAX_NESTING = 50;

/** The subset of a mathjs node this module reads (also walked by interval.ts). */
export interface MathNode {
  type: string;
  fn?: string | MathNode;
  op?: string;
  name?: string;
  value?: unknown;
  args?: MathNode[];
  content?: MathNode;
}

interface Parser {
  parse: (src: string) => MathNode;
  erf: (x: number) => number;
  gamma: (x: number) => number;
}

let parser: Parser | undefined;

function loadParser(): Parser {
  if (parser) return parser;
  // (its parser and erf and gamma alone, bundled by the build: engine/lazy-require.ts)
  const math = requirePackage("mathjs") as typeof import("mathjs");
  // A private instance with only what we need, so other users of mathjs are unaffected.
  const inst = math.create({
    parseDependencies: math.parseDependencies,
    erfDependencies: math.erfDependencies,
    gammaDependencies: math.gammaDependencies,
  });
  const parse = inst.parse as Parser["parse"];
  const erf = inst.erf as Parser["erf"];
  const gamma = inst.gamma as Parser["gamma"];
  const disabled = ["import", "createUnit", "evaluate", "parse", "simplify", "derivative", "resolve", "reviver", "config"];
  inst.import(
    Object.fromEntries(
      disabled.map((name) => [
        name,
        () => {
          throw new Error(`${name} is disabled in restricted expressions`);
        },
      ]),
    ),
    { override: true },
  );
  parser = { parse, erf, gamma };
  return parser;
}

/** The scalar special functions formulas use (mathjs's erf and gamma), for interval.ts. */
export function expressionScalars(): { erf: (x: number) => number; gamma: (x: number) => number } {
  const p = loadParser();
  return { erf: p.erf, gamma: p.gamma };
}

type Ev = (v: readonly number[]) => number;

interface FnSpec {
  minArgs: number;
  maxArgs: number;
  make: (args: Ev[], p: Parser) => Ev;
}

const unary = (f: (x: number) => number): FnSpec => ({ minArgs: 1, maxArgs: 1, make: ([a]) => (v) => f(a(v)) });

// min/max without building an argument array per call (densities are evaluated many times).
function fold(args: Ev[], f: (a: number, b: number) => number): Ev {
  return (v) => {
    let r = args[0](v);
    for (let i = 1; i < args.length; i++) r = f(r, args[i](v));
    return r;
  };
}

const FUNCTIONS: Record<string, FnSpec> = {
  exp: unary(Math.exp),
  log: {
    minArgs: 1,
    maxArgs: 2,
    make: ([a, b]) => (b ? (v) => Math.log(a(v)) / Math.log(b(v)) : (v) => Math.log(a(v))),
  },
  log10: unary(Math.log10),
  log2: unary(Math.log2),
  log1p: unary(Math.log1p),
  expm1: unary(Math.expm1),
  sqrt: unary(Math.sqrt),
  cbrt: unary(Math.cbrt),
  pow: { minArgs: 2, maxArgs: 2, make: ([a, b]) => (v) => Math.pow(a(v), b(v)) },
  abs: unary(Math.abs),
  min: { minArgs: 1, maxArgs: 16, make: (args) => fold(args, Math.min) },
  max: { minArgs: 1, maxArgs: 16, make: (args) => fold(args, Math.max) },
  sin: unary(Math.sin),
  cos: unary(Math.cos),
  tan: unary(Math.tan),
  asin: unary(Math.asin),
  acos: unary(Math.acos),
  atan: unary(Math.atan),
  atan2: { minArgs: 2, maxArgs: 2, make: ([a, b]) => (v) => Math.atan2(a(v), b(v)) },
  sinh: unary(Math.sinh),
  cosh: unary(Math.cosh),
  tanh: unary(Math.tanh),
  erf: { minArgs: 1, maxArgs: 1, make: ([a], p) => (v) => p.erf(a(v)) },
  gamma: { minArgs: 1, maxArgs: 1, make: ([a], p) => (v) => p.gamma(a(v)) },
};

export const ALLOWED_FUNCTIONS: readonly string[] = Object.keys(FUNCTIONS);

const CONSTANTS: Record<string, number> = { pi: Math.PI, e: Math.E };

const OPERATORS: Record<string, { arity: number[]; make: (args: Ev[]) => Ev }> = {
  add: { arity: [2], make: ([a, b]) => (v) => a(v) + b(v) },
  subtract: { arity: [2], make: ([a, b]) => (v) => a(v) - b(v) },
  multiply: { arity: [2], make: ([a, b]) => (v) => a(v) * b(v) },
  divide: { arity: [2], make: ([a, b]) => (v) => a(v) / b(v) },
  pow: { arity: [2], make: ([a, b]) => (v) => Math.pow(a(v), b(v)) },
  unaryMinus: { arity: [1], make: ([a]) => (v) => -a(v) },
  unaryPlus: { arity: [1], make: ([a]) => (v) => a(v) },
};

const REJECTED_NODES: Record<string, string> = {
  AssignmentNode: "assignment (x = …) is not allowed",
  FunctionAssignmentNode: "defining a function (f(x) = …) is not allowed",
  AccessorNode: "property access and indexing (a.b, a[1]) are not allowed",
  IndexNode: "indexing is not allowed",
  ArrayNode: "arrays and matrices ([…]) are not allowed",
  ObjectNode: "objects ({…}) are not allowed",
  RangeNode: "ranges (a:b) are not allowed",
  ConditionalNode: "conditionals (a ? b : c) are not allowed",
  BlockNode: "several statements (separated by ; or a new line) are not allowed",
  RelationalNode: "comparisons are not allowed",
};

function maxNesting(src: string): number {
  let depth = 0;
  let max = 0;
  for (const ch of src) {
    if (ch === "(" || ch === "[" || ch === "{") max = Math.max(max, ++depth);
    else if (ch === ")" || ch === "]" || ch === "}") depth--;
  }
  return max;
}

function describeConstant(value: unknown): string {
  if (typeof value === "string") return `strings ("${value.length > 20 ? value.slice(0, 20) + "…" : value}") are not allowed`;
  return `only numbers are allowed, found ${String(value)}`;
}

/**
 * Compile `src` into a function of `variables` (in that order). Throws InputError at `path` if
 * the formula is not in the restricted language. The compiled function throws NumericalError
 * (where = `path`) when a result is not a finite real number (e.g. log of a negative number).
 */
export function compileExpression(
  src: string,
  variables: readonly string[],
  path: string,
): (...values: number[]) => number {
  return compileRestricted(src, variables, path).evaluate;
}

/** A compiled formula: its evaluator and the checked tree (for interval bounds, interval.ts). */
export interface CompiledExpression {
  evaluate: (...values: number[]) => number;
  /** the parse tree, every node of it checked against the whitelist */
  tree: MathNode;
  /** the source, for messages */
  src: string;
}

/** compileExpression, also returning the checked tree. */
export function compileRestricted(src: string, variables: readonly string[], path: string): CompiledExpression {
  const reject = (message: string): never => {
    throw new InputError(path, message);
  };
  if (typeof src !== "string") reject("expected a formula (a string)");
  if (src.length > MAX_EXPRESSION_LENGTH) {
    reject(`formula too long (${src.length} characters; at most ${MAX_EXPRESSION_LENGTH})`);
  }
  if (src.trim() === "") reject("empty formula");
  if (maxNesting(src) > MAX_NESTING) reject(`formula nested too deeply (more than ${MAX_NESTING} levels of brackets)`);

  // (mathjs reads "#" as the start of a comment and drops the rest: "1 + theta # + 1000" was
  // solved as 1 + theta without a word, a reviewer's; and 0x10, 0b11, 0o7 as hexadecimal, binary
  // and octal numbers, which no formula of a type law needs and a typo can produce)
  if (src.includes("#")) reject(`"#" is not allowed in a formula (the parser would ignore everything after it): "${src}"`);
  const radix = /(?<![A-Za-z0-9_.])0[xXbBoO][0-9A-Za-z]/.exec(src);
  if (radix) reject(`"${radix[0]}…" is not a decimal number: write numbers in decimal (e.g. 16, 0.5, 2e-3): "${src}"`);
  const p = loadParser();
  let tree: MathNode;
  try {
    tree = p.parse(src);
  } catch (e) {
    return reject(`cannot parse formula "${src}": ${e instanceof Error ? e.message : String(e)}`);
  }

  const varIndex = new Map(variables.map((name, i) => [name, i] as const));
  const allowedSymbols = [...variables, ...Object.keys(CONSTANTS)].join(", ");
  let nodes = 0;

  const build = (node: MathNode): Ev => {
    if (++nodes > MAX_EXPRESSION_NODES) reject(`formula too large (more than ${MAX_EXPRESSION_NODES} terms)`);
    switch (node.type) {
      case "ConstantNode": {
        const value = node.value;
        if (typeof value !== "number") return reject(describeConstant(value));
        if (!Number.isFinite(value)) {
          // the literal as written (mathjs hands back Infinity for 1e400)
          const literal = (src.match(/(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?/gi) ?? []).find((t) => !Number.isFinite(Number(t)));
          return reject(`the number ${literal ?? String(value)} is beyond double precision (the largest is about 1.8e308)`);
        }
        return () => value;
      }
      case "SymbolNode": {
        const name = String(node.name);
        const i = varIndex.get(name);
        if (i !== undefined) return (v) => v[i];
        if (Object.hasOwn(CONSTANTS, name)) {
          const c = CONSTANTS[name];
          return () => c;
        }
        if (Object.hasOwn(FUNCTIONS, name)) return reject(`function "${name}" must be called with arguments, e.g. ${name}(theta)`);
        return reject(`unknown variable "${name}"; expected one of ${allowedSymbols}`);
      }
      case "ParenthesisNode":
        if (!node.content) return reject("empty parentheses");
        return build(node.content);
      case "OperatorNode": {
        const fn = String(node.fn);
        const op = OPERATORS[Object.hasOwn(OPERATORS, fn) ? fn : ""];
        const args = node.args ?? [];
        if (!op) return reject(`operator "${node.op ?? fn}" is not allowed; allowed: + - * / ^ and unary -`);
        if (!op.arity.includes(args.length)) return reject(`operator "${node.op ?? fn}" with ${args.length} operands`);
        return op.make(args.map(build));
      }
      case "FunctionNode": {
        const callee = node.fn;
        if (typeof callee !== "object" || callee.type !== "SymbolNode") {
          return reject("only calls of named functions such as exp(theta) are allowed");
        }
        const name = String(callee.name);
        if (!Object.hasOwn(FUNCTIONS, name)) {
          return reject(`function "${name}" is not allowed; allowed functions: ${ALLOWED_FUNCTIONS.join(", ")}`);
        }
        const spec = FUNCTIONS[name];
        const args = node.args ?? [];
        if (args.length < spec.minArgs || args.length > spec.maxArgs) {
          const want = spec.minArgs === spec.maxArgs ? `${spec.minArgs}` : `${spec.minArgs} to ${spec.maxArgs}`;
          return reject(`function "${name}" takes ${want} argument(s), got ${args.length}`);
        }
        return spec.make(args.map(build), p);
      }
      default:
        return reject(REJECTED_NODES[node.type] ?? `${node.type} is not allowed in a formula`);
    }
  };

  const ev = build(tree);
  const arity = variables.length;
  const evaluate = (...values: number[]): number => {
    if (values.length !== arity) {
      throw new TypeError(`formula at ${path} takes ${arity} value(s) (${variables.join(", ")}), got ${values.length}`);
    }
    const r = ev(values);
    if (typeof r !== "number" || !Number.isFinite(r)) {
      const at = variables.map((name, i) => `${name}=${values[i]}`).join(", ");
      throw new NumericalError(path, `formula "${src}" is ${String(r)} (not a finite real number) at ${at || "no variables"}`);
    }
    return r;
  };
  return { evaluate, tree, src };
}
