// Where a value sits in JSON text: the character span of the value at a path, so that the
// explore page can change one number in the scenario file's own text instead of reformatting
// the whole file (a saved file then differs from the original by that number only, which is
// what an economist keeping scenarios in git wants to see). A small recursive-descent scan that
// accepts exactly JSON; undefined when the text is not JSON or the path is not in it.

export type Segment = string | number;

const WS = /[ \t\n\r]/;

/** [start, end) of the value at `path` in `text`, or undefined. */
export function valueSpan(text: string, path: readonly Segment[]): [number, number] | undefined {
  let i = 0;
  let found: [number, number] | undefined;
  const fail = (): never => {
    throw new SyntaxError("not JSON");
  };
  const ws = () => {
    while (i < text.length && WS.test(text[i])) i++;
  };
  const str = (): string => {
    const start = i;
    if (text[i] !== '"') fail();
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail();
    i++;
    return JSON.parse(text.slice(start, i)) as string;
  };
  const value = (depth: number, onPath: boolean): void => {
    ws();
    const start = i;
    const here = onPath && depth === path.length;
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") i++;
      else
        for (;;) {
          ws();
          const key = str();
          ws();
          if (text[i] !== ":") fail();
          i++;
          value(depth + 1, onPath && depth < path.length && path[depth] === key);
          ws();
          if (text[i] === ",") i++;
          else if (text[i] === "}") {
            i++;
            break;
          } else fail();
        }
    } else if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") i++;
      else
        for (let k = 0; ; k++) {
          value(depth + 1, onPath && depth < path.length && path[depth] === k);
          ws();
          if (text[i] === ",") i++;
          else if (text[i] === "]") {
            i++;
            break;
          } else fail();
        }
    } else if (c === '"') {
      str();
    } else {
      const m = /^(?:-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i, i + 400));
      if (!m) fail();
      i += m![0].length;
    }
    if (here) found = [start, i];
  };
  try {
    // A byte-order mark is allowed before the value, as the engine's parser allows it.
    if (text.charCodeAt(0) === 0xfeff) i = 1;
    value(0, true);
    ws();
    if (i !== text.length) return undefined;
  } catch {
    return undefined;
  }
  return found;
}

/** `text` with the value at `path` replaced by `value` (as JSON), or undefined when not found. */
export function replaceValue(text: string, path: readonly Segment[], value: unknown): string | undefined {
  const span = valueSpan(text, path);
  return span ? text.slice(0, span[0]) + JSON.stringify(value) + text.slice(span[1]) : undefined;
}
