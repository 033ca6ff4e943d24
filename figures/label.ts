// Parses a Label's `text` markup (see types.ts) into styled runs: italic or upright, on the
// baseline, lowered (subscript) or raised (superscript). Both the text-width measurement
// given to vega and the SVG post-processing read these runs, so layout and drawing agree.

/** 0: baseline, -1: subscript, 1: superscript. */
export type ScriptLevel = -1 | 0 | 1;

export interface Run {
  text: string;
  italic: boolean;
  level: ScriptLevel;
}

interface Segment {
  text: string;
  level: ScriptLevel;
}

const ESCAPABLE = new Set(["_", "^", "{", "}", "\\"]);
const WORD_CHAR = /[\p{L}\p{N}]/u;

/** Split markup into literal segments at each script level (escapes resolved). */
function segments(src: string): Segment[] {
  const out: Segment[] = [];
  let base = "";
  const flush = () => {
    if (base) out.push({ text: base, level: 0 });
    base = "";
  };
  let i = 0;
  while (i < src.length) {
    const ch = src[i];
    if (ch === "\\" && i + 1 < src.length && ESCAPABLE.has(src[i + 1])) {
      base += src[i + 1];
      i += 2;
      continue;
    }
    if (ch !== "_" && ch !== "^") {
      base += ch;
      i += 1;
      continue;
    }
    const level: ScriptLevel = ch === "_" ? -1 : 1;
    const rest = [...src.slice(i + 1)];
    let script = "";
    let consumed = 0;
    if (rest[0] === "{") {
      // The group ends at the first unescaped "}" (an escaped \} is part of it).
      let close = -1;
      for (let k = 1; k < rest.length; k++) {
        if (rest[k] === "\\" && k + 1 < rest.length && ESCAPABLE.has(rest[k + 1])) k++;
        else if (rest[k] === "}") {
          close = k;
          break;
        }
      }
      if (close < 0) {
        // Unbalanced group: keep the text as written rather than guess.
        base += ch;
        i += 1;
        continue;
      }
      script = rest.slice(1, close).join("");
      consumed = close + 1;
    } else {
      while (consumed < rest.length && WORD_CHAR.test(rest[consumed])) consumed++;
      if (consumed === 0 && rest.length > 0 && rest[0].trim() !== "") consumed = 1;
      script = rest.slice(0, consumed).join("");
    }
    if (!script) {
      base += ch;
      i += 1;
      continue;
    }
    flush();
    out.push({ text: script.replace(/\\([_^{}\\])/g, "$1"), level });
    i += 1 + rest.slice(0, consumed).join("").length;
  }
  flush();
  return out;
}

const GREEK = /[\u0370-\u03ff]/u;
const isGreek = (c: string) => GREEK.test(c);
/** English one-letter words that stay upright when they sit between words of prose. */
const ONE_LETTER_WORDS = new Set(["a", "A", "I"]);
/** Letters that, glued to a number and ending a word, scale it (thousand, million, …), not variables. */
const MAGNITUDES = new Set(["k", "M", "G", "B", "T"]);

/** Number of letters, not counting combining marks. */
const letters = (word: string) => [...word].filter((c) => !/\p{M}/u.test(c)).length;

interface Piece {
  text: string;
  italic: boolean;
}

/**
 * Mark math variables italic inside one segment: a lone Latin letter or lowercase Greek letter
 * is a variable (TeX sets them italic; uppercase Greek stays upright as in TeX), a word of two
 * or more letters is prose or a function name ("low", "log") and stays upright.
 */
function italicize(text: string): Piece[] {
  // Words are maximal runs of letters from one script, so "θw" is two variables.
  const tokens: { text: string; word: boolean }[] = [];
  for (const ch of text) {
    const last = tokens[tokens.length - 1];
    // A combining mark (the bar of h̄, the hat of q̂) belongs to the letter before it.
    if (last && /\p{M}/u.test(ch)) {
      last.text += ch;
      continue;
    }
    const letter = /\p{L}/u.test(ch);
    if (last && letter && last.word && isGreek(ch) === isGreek(last.text[0])) last.text += ch;
    else if (last && !letter && !last.word) last.text += ch;
    else tokens.push({ text: ch, word: letter });
  }
  const isProse = (k: number) => {
    const t = tokens[k];
    return t !== undefined && t.word && letters(t.text) >= 2;
  };
  const pieces: Piece[] = [];
  tokens.forEach((t, k) => {
    let italic = false;
    if (t.word && letters(t.text) === 1) {
      const c = [...t.text][0];
      const upperGreek = isGreek(c) && c !== c.toLowerCase();
      const proseNeighbour =
        (tokens[k - 1]?.text === " " && isProse(k - 2)) || (tokens[k + 1]?.text === " " && isProse(k + 2));
      // "1M tokens", "10k": a magnitude after a number is part of it, upright as in the .tex
      const magnitude = MAGNITUDES.has(c) && /\d$/.test(tokens[k - 1]?.text ?? "") && (tokens[k + 1] === undefined || /^[\s),;.]/.test(tokens[k + 1].text));
      // "Leader's price", "don't": a letter after an apostrophe that follows a word is part of it
      const possessive = (tokens[k - 1]?.text === "'" || tokens[k - 1]?.text === "’") && tokens[k - 2]?.word === true;
      italic = !upperGreek && !magnitude && !possessive && !(ONE_LETTER_WORDS.has(c) && proseNeighbour);
    }
    const last = pieces[pieces.length - 1];
    if (last && last.italic === italic) last.text += t.text;
    else pieces.push({ text: t.text, italic });
  });
  return pieces;
}

/** Styled runs of a label's markup, adjacent runs of equal style merged. */
export function parseLabel(src: string): Run[] {
  const runs: Run[] = [];
  for (const seg of segments(src)) {
    for (const p of italicize(seg.text)) {
      const last = runs[runs.length - 1];
      if (last && last.italic === p.italic && last.level === seg.level) last.text += p.text;
      else runs.push({ text: p.text, italic: p.italic, level: seg.level });
    }
  }
  return runs;
}

/** The label's characters without markup, e.g. "q_L(θ)" → "qL(θ)" (for plain-text uses). */
export function plainText(src: string): string {
  return parseLabel(src)
    .map((r) => r.text)
    .join("");
}

/** True when the markup needs no styling at all (a plain upright string). */
export function isPlain(runs: readonly Run[]): boolean {
  return runs.every((r) => !r.italic && r.level === 0);
}
