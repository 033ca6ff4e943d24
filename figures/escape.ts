// User strings (class names, model names, captions) carried into a figure, escaped for each
// target, so that a name is always shown as the characters it is and never read as code:
//   texText   – TeX text mode (.tex legend entries): \ { } $ % # & ^ _ ~ become their escapes;
//   texMath   – inside TeX math, e.g. the subscript of $X_{\mathrm{…}}$;
//   texComment – one TeX comment line per line of text (a line break would end the comment);
//   labelText – the figure label markup of types.ts (\ _ ^ { } are markup there);
//   plainLine – text for a caption file or a terminal: control characters removed.
// SVG text is escaped by vega and svg-text.ts (escapeXml); CSV cells by results/csv-cell.ts.

/** C0/C1 control characters and the Unicode line/paragraph separators. */
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u2028\u2029]/g;
const LINE_BREAK = /\r\n|[\n\r\u000b\u000c\u0085\u2028\u2029]/;

/** Control characters removed; line breaks (of any kind) become spaces. */
export function plainLine(s: string): string {
  return s.split(LINE_BREAK).join(" ").replace(CONTROL, "");
}

const TEX_TEXT: Readonly<Record<string, string>> = {
  "\\": "\\textbackslash{}",
  "{": "\\{",
  "}": "\\}",
  $: "\\$",
  "%": "\\%",
  "#": "\\#",
  "&": "\\&",
  "^": "\\textasciicircum{}",
  _: "\\_",
  "~": "\\textasciitilde{}",
};

/** `s` typeset literally in TeX text mode (one line: breaks become spaces). */
export function texText(s: string): string {
  return plainLine(s).replace(/[\\{}$%#&^_~]/g, (c) => TEX_TEXT[c]);
}

const TEX_MATH: Readonly<Record<string, string>> = {
  "\\": "\\backslash{}",
  "{": "\\{",
  "}": "\\}",
  $: "\\$",
  "%": "\\%",
  "#": "\\#",
  "&": "\\&",
  "^": "\\wedge{}",
  _: "\\_",
  "~": "\\sim{}",
  " ": "\\ ",
  // a hyphen of a name, not a minus sign (in math mode, \mathrm included, "-" is a binary minus:
  // a class named out-put_2 read "out − put_2", a reviewer's)
  "-": "\\mbox{-}",
};

/**
 * `s` inside TeX math (e.g. in \mathrm{…}): the specials as math symbols, spaces kept, and
 * anything beyond printable ASCII replaced by "?" (pdfLaTeX cannot set it in math mode).
 */
export function texMath(s: string): string {
  return plainLine(s)
    .replace(/[^\x20-\x7e]/gu, "?")
    .replace(/[-\\{}$%#&^_~ ]/g, (c) => TEX_MATH[c]);
}

/** `text` as TeX comment lines ("% …"): no line of it can escape its comment. */
export function texComment(text: string): string {
  return text
    .split(LINE_BREAK)
    .map((l) => `% ${l.replace(CONTROL, "")}`.trimEnd())
    .join("\n");
}

/** `s` shown literally by the label markup of types.ts (escapes \ _ ^ { }). */
export function labelText(s: string): string {
  return plainLine(s).replace(/[\\_^{}]/g, (c) => `\\${c}`);
}

/**
 * Control sequences a figure's TeX labels may use: Greek letters and the accents, fonts and
 * escapes the builders and the functions above write. Anything else in a label (\input,
 * \write18, \def, \catcode…) means an unescaped string reached the .tex: validate.ts refuses it.
 */
export const TEX_LABEL_COMMANDS: ReadonlySet<string> = new Set([
  "alpha", "beta", "gamma", "delta", "epsilon", "varepsilon", "zeta", "eta", "theta", "vartheta", "iota", "kappa", "lambda",
  "mu", "nu", "xi", "pi", "rho", "sigma", "tau", "upsilon", "phi", "varphi", "chi", "psi", "omega",
  "Gamma", "Delta", "Theta", "Lambda", "Xi", "Pi", "Sigma", "Phi", "Psi", "Omega",
  "hat", "bar", "tilde", "underline", "overline", "mathrm", "mathit", "text", "prime", "cdot", "times", "le", "ge", "leq", "geq",
  "infty", "ldots", "log", "exp", "min", "max", "texttt", "textit", "textrm", "textsf", "emph", "mbox", "textbackslash", "textasciicircum", "textasciitilde", "backslash", "wedge", "sim",
]);

/** Why a TeX label is unsafe or malformed (undefined when it is fine). */
export function texLabelProblem(tex: string): string | undefined {
  let depth = 0;
  let dollars = 0;
  for (let i = 0; i < tex.length; i++) {
    const c = tex[i];
    if (c === "\\") {
      const word = /^[A-Za-z]+/.exec(tex.slice(i + 1))?.[0];
      if (word) {
        if (!TEX_LABEL_COMMANDS.has(word)) return `uses \\${word}, which a figure label never needs`;
        i += word.length;
      } else {
        const sym = tex[i + 1];
        if (sym === undefined || !"{}$%#&_ ,;!".includes(sym)) return `has a stray backslash`;
        i += 1;
      }
      continue;
    }
    if (c === "{") depth++;
    else if (c === "}" && --depth < 0) return "has an unbalanced }";
    else if (c === "$") dollars++;
    else if ("%#&~".includes(c) || /[\r\n]/.test(c)) return `has an unescaped ${JSON.stringify(c)}`;
    else if ((c === "^" || c === "_") && dollars % 2 === 0) return `has ${c} outside math`;
  }
  if (depth !== 0) return "has an unbalanced {";
  if (dollars % 2 !== 0) return "has an unbalanced $";
  return undefined;
}
