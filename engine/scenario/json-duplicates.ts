// The first key that appears twice in one JSON object of a scenario's text. JSON.parse keeps the
// last of the two without a word, so `"sigma": 0.5, … "sigma": 0.7` would run with 0.7 (or, as a
// reviewer found, fail later on another field's check) while the file shows both; an economist
// editing a file by hand is told instead where the two are. Written by hand because neither
// JSON.parse nor zod sees the text; it runs only after JSON.parse has accepted the text, so it
// need not diagnose syntax (parseJsonText in load.ts does that). No recursion: an explicit stack,
// as in nesting.ts, so a deeply nested file cannot exhaust the call stack; numbers and strings
// that are values are skipped character by character (a 100,000-atom law is ~2 MB: a few ms).

import type { PathSegment } from "./overrides.js";

export interface DuplicateKey {
  /** path of the object holding the key, then the key */
  path: PathSegment[];
  /** offsets in the text of the key's first and second occurrence (at the opening quote) */
  first: number;
  second: number;
}

interface Frame {
  /** keys seen with their offsets (objects), or undefined (arrays) */
  keys: Map<string, number> | undefined;
  /** the segment under which this container sits in its parent (none for the root) */
  segment: PathSegment | undefined;
  /** the array index of the next element */
  index: number;
}

/** The first duplicated key in a valid JSON text, in text order; undefined when there is none. */
export function findDuplicateKey(text: string): DuplicateKey | undefined {
  const n = text.length;
  const stack: Frame[] = [];
  // the key (object) or index (array) the next value sits under
  let pending: PathSegment | undefined;
  const skipString = (i: number): number => {
    // i at the opening quote; returns the offset after the closing quote
    for (i++; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x5c) i++;
      else if (c === 0x22) return i + 1;
    }
    return n;
  };
  for (let i = 0; i < n; ) {
    const c = text.charCodeAt(i);
    if (c === 0x7b || c === 0x5b) {
      // { or [
      stack.push({ keys: c === 0x7b ? new Map() : undefined, segment: pending, index: 0 });
      pending = undefined;
      i++;
      if (c === 0x5b) pending = 0;
      continue;
    }
    if (c === 0x7d || c === 0x5d) {
      stack.pop();
      i++;
      continue;
    }
    if (c === 0x2c) {
      // , : the next element of an array gets the next index
      const top = stack[stack.length - 1];
      if (top && top.keys === undefined) pending = ++top.index;
      i++;
      continue;
    }
    if (c === 0x22) {
      const end = skipString(i);
      const top = stack[stack.length - 1];
      // a string directly in an object, before its ':', is a key
      let j = end;
      while (j < n && (text[j] === " " || text[j] === "\t" || text[j] === "\n" || text[j] === "\r")) j++;
      if (top && top.keys !== undefined && text[j] === ":") {
        const key = JSON.parse(text.slice(i, end)) as string;
        const seen = top.keys.get(key);
        if (seen !== undefined) {
          const path: PathSegment[] = [];
          for (let s = 1; s < stack.length; s++) path.push(stack[s].segment!);
          path.push(key);
          return { path, first: seen, second: i };
        }
        top.keys.set(key, i);
        pending = key;
        i = j + 1;
        continue;
      }
      i = end;
      continue;
    }
    i++;
  }
  return undefined;
}

/** 1-based line and column of `offset` in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = text.indexOf("\n"); i !== -1 && i < offset; i = text.indexOf("\n", i + 1)) {
    line++;
    last = i;
  }
  return { line, column: offset - last };
}
