// The restricted formula language (engine/expression/restricted.ts): dangerous or unsupported
// constructs are rejected with an InputError at the caller's path before anything runs; valid
// formulas evaluate exactly like the same arithmetic written with JS Math.

import { createRequire } from "node:module";
import { describe, expect, test } from "vitest";
import fc from "fast-check";
import { InputError, NumericalError } from "../engine/errors.js";
import { compileExpression, MAX_EXPRESSION_LENGTH } from "../engine/expression/restricted.js";

const PATH = "buyers.theta.density";
const req = createRequire(import.meta.url);
// from node_modules, or from the build's bundle of its parser (engine/lazy-require.ts)
const mathjsLoaded = () => Object.keys(req.cache).some((k) => k.includes(`node_modules${"/"}mathjs${"/"}`) || k.endsWith(`vendor${"/"}mathjs-parse.cjs`));

/** The InputError thrown by compiling `src`, or fail. */
function rejection(src: string, variables: readonly string[] = ["theta"]): InputError {
  try {
    compileExpression(src, variables, PATH);
  } catch (e) {
    if (e instanceof InputError) return e;
    throw new Error(`expected an InputError for ${JSON.stringify(src)}, got ${String(e)}`);
  }
  throw new Error(`expected ${JSON.stringify(src)} to be rejected, but it compiled`);
}

describe("lazy loading", () => {
  // Must run first in this file: nothing above has compiled a formula yet.
  test("mathjs is loaded only when the first formula is compiled", () => {
    expect(mathjsLoaded(), "mathjs already in the require cache before any formula").toBe(false);
    compileExpression("theta", ["theta"], PATH);
    expect(mathjsLoaded(), "mathjs should be loaded after compiling a formula").toBe(true);
  });
});

describe("rejected formulas", () => {
  const cases: [string, RegExp][] = [
    ["import('fs')", /function "import" is not allowed/],
    ["f(x) = x", /defining a function/],
    ["zeros(1e5, 1e5)", /function "zeros" is not allowed/],
    ['evaluate("1")', /function "evaluate" is not allowed/],
    ["x = 3", /assignment/],
    ["[1,2]", /arrays and matrices/],
    ['"a"', /strings \("a"\) are not allowed/],
    ["theta + y", /unknown variable "y"; expected one of theta, pi, e/],
    ["theta.constructor", /property access/],
    ["theta[1]", /property access and indexing/],
    ["1:3", /ranges/],
    ["theta > 0 ? 1 : 0", /conditionals/],
    ["{a: 1}", /objects/],
    ["theta; theta", /several statements/],
    ["theta == 1", /operator "==" is not allowed/],
    ["3 mod 2", /operator "mod" is not allowed/],
    ["theta!", /operator "!" is not allowed/],
    ["theta'", /operator "'" is not allowed/],
    ["2 cm", /unknown variable "cm"/],
    ["true", /only numbers are allowed, found true/],
    ["1e400", /the number 1e400 is beyond double precision/],
    ["exp", /must be called with arguments/],
    ["exp(1, 2)", /takes 1 argument/],
    ["pow(theta)", /takes 2 argument/],
    ["", /empty formula/],
    ["theta +", /cannot parse formula/],
    // (mathjs would drop everything after "#" and read 0x10 as 16: a reviewer's)
    ["1 + theta # + 1000", /"#" is not allowed in a formula \(the parser would ignore everything after it\)/],
    ["0x10*theta", /"0x1…" is not a decimal number/],
    ["theta + 0b11", /"0b1…" is not a decimal number/],
  ];
  test.each(cases)("%s is rejected at the caller's path", (src, pattern) => {
    const e = rejection(src);
    expect(e.path, `path of the error for ${src}`).toBe(PATH);
    expect(e.message.startsWith(`${PATH}: `), `message should start with the path: ${e.message}`).toBe(true);
    expect(e.message, `message for ${src}`).toMatch(pattern);
  });

  test("too long input is rejected before parsing", () => {
    const src = "theta + ".repeat(200) + "1";
    expect(src.length).toBeGreaterThan(MAX_EXPRESSION_LENGTH);
    expect(rejection(src).message).toMatch(/formula too long \(\d+ characters; at most 1000\)/);
  });

  test("too many terms and too deep nesting are rejected", () => {
    expect(rejection("1+".repeat(400) + "1").message).toMatch(/formula too large/);
    expect(rejection("(".repeat(60) + "theta" + ")".repeat(60)).message).toMatch(/nested too deeply/);
  });

  test("after every rejection the process is alive and formulas still compile and evaluate", () => {
    for (const src of ["zeros(1e5, 1e5)", "import('fs')", "f(x) = x", 'evaluate("zeros(1e5,1e5)")', "config({number: 'BigNumber'})"]) {
      expect(() => compileExpression(src, ["theta"], PATH)).toThrow(InputError);
    }
    const f = compileExpression("theta * 2", ["theta"], PATH);
    expect(f(0.25)).toBe(0.5);
    expect(typeof f(0.25)).toBe("number");
  });
});

describe("valid formulas match JS Math", () => {
  const unit = fc.double({ min: 0, max: 1, noNaN: true });

  test("exp(-theta^2/2)", () => {
    const f = compileExpression("exp(-theta^2/2)", ["theta"], PATH);
    fc.assert(
      fc.property(unit, (t) => {
        const want = Math.exp(-(t ** 2) / 2);
        expect(Math.abs(f(t) - want), `theta=${t} got ${f(t)} want ${want} tol 1e-15`).toBeLessThanOrEqual(1e-15 * Math.abs(want));
      }),
    );
  });

  test("a product without * is a product, as the README says (2 theta, 2theta, 2*theta)", () => {
    for (const src of ["2 theta", "2theta", "2*theta"]) {
      const f = compileExpression(src, ["theta"], PATH);
      fc.assert(fc.property(unit, (t) => Object.is(f(t), 2 * t)));
    }
  });

  test("1 + 0.5*sin(2*pi*theta)", () => {
    const f = compileExpression("1 + 0.5*sin(2*pi*theta)", ["theta"], PATH);
    fc.assert(
      fc.property(unit, (t) => {
        const want = 1 + 0.5 * Math.sin(2 * Math.PI * t);
        expect(Math.abs(f(t) - want), `theta=${t} got ${f(t)} want ${want}`).toBeLessThanOrEqual(1e-15 * Math.abs(want));
      }),
    );
  });

  test("theta^(a-1) * (1-theta)^(b-1) with declared variables a, b", () => {
    const f = compileExpression("theta^(a-1) * (1-theta)^(b-1)", ["theta", "a", "b"], PATH);
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 0.99, noNaN: true }), fc.double({ min: 0.5, max: 5, noNaN: true }), fc.double({ min: 0.5, max: 5, noNaN: true }), (t, a, b) => {
        const want = Math.pow(t, a - 1) * Math.pow(1 - t, b - 1);
        expect(Math.abs(f(t, a, b) - want), `t=${t} a=${a} b=${b}`).toBeLessThanOrEqual(1e-15 * Math.abs(want));
      }),
    );
  });

  test("precedence: -theta^2 is -(theta^2), 2^3^2 is 2^(3^2), implicit multiplication", () => {
    expect(compileExpression("-theta^2", ["theta"], PATH)(3)).toBe(-9);
    expect(compileExpression("2^3^2", [], PATH)()).toBe(512);
    expect(compileExpression("2theta + 1", ["theta"], PATH)(0.25)).toBe(1.5);
    expect(compileExpression("(1 + theta) / (2 - theta) * 3", ["theta"], PATH)(0.5)).toBe(((1 + 0.5) / (2 - 0.5)) * 3);
  });

  test("whitelisted functions and constants", () => {
    const x = 0.37;
    const one = (src: string) => compileExpression(src, ["theta"], PATH)(x);
    expect(one("log(theta)")).toBe(Math.log(x));
    expect(one("log(theta, 2)")).toBe(Math.log(x) / Math.log(2));
    expect(one("log10(theta) + log2(theta)")).toBe(Math.log10(x) + Math.log2(x));
    expect(one("sqrt(theta) * cbrt(theta)")).toBe(Math.sqrt(x) * Math.cbrt(x));
    expect(one("pow(theta, 1.5)")).toBe(Math.pow(x, 1.5));
    expect(one("min(theta, 0.2, 0.3)")).toBe(0.2);
    expect(one("max(theta, 0.2, 0.3)")).toBe(x);
    expect(one("abs(-theta) + atan(theta) + tanh(theta)")).toBe(Math.abs(-x) + Math.atan(x) + Math.tanh(x));
    expect(one("e^theta")).toBe(Math.pow(Math.E, x));
    expect(one("+theta - -1")).toBe(x + 1);
  });

  test("erf and gamma agree with reference values", () => {
    // erf(0.5) = 0.520499877813046537682746653892…, Γ(4.5) = (7·5·3·1/16)·√π = 11.6317283965674514…
    expect(Math.abs(compileExpression("erf(theta)", ["theta"], PATH)(0.5) - 0.5204998778130465)).toBeLessThanOrEqual(1e-15);
    const g = compileExpression("gamma(theta)", ["theta"], PATH)(4.5);
    const want = (105 / 16) * Math.sqrt(Math.PI);
    expect(Math.abs(g - want) / want, `gamma(4.5)=${g} want ${want}`).toBeLessThanOrEqual(1e-14);
  });
});

describe("non-finite results", () => {
  test("a result that is not a finite real throws NumericalError naming the path and the point", () => {
    const f = compileExpression("log(theta)", ["theta"], PATH);
    expect(() => f(-1)).toThrow(NumericalError);
    expect(() => f(-1)).toThrow(/buyers\.theta\.density: .*NaN.*theta=-1/);
    expect(() => compileExpression("1/theta", ["theta"], PATH)(0)).toThrow(/Infinity/);
    expect(() => compileExpression("theta^0.5", ["theta"], PATH)(-4)).toThrow(NumericalError);
  });

  test("calling with the wrong number of values is a programming error", () => {
    expect(() => compileExpression("theta", ["theta"], PATH)()).toThrow(TypeError);
  });
});
