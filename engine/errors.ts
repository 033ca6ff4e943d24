// Error kinds that cross module (and worker-thread) boundaries as plain data.
// InputError → exit 2 (bad scenario, named by its JSON path); NumericalError → exit 1
// (a solver failed, with its cause and where); EnvironmentError → exit 3 (the machine said
// no: a full disk, a read-only or missing folder, permissions; named by the file path).
// All serialize to {code, message, path}.

export type ErrorCode = "BAD_INPUT" | "NUMERICAL" | "ENVIRONMENT";

export interface ErrorData {
  code: ErrorCode;
  message: string;
  /** JSON path of the offending scenario field, e.g. "technology.tokens.classes[0].cost" */
  path?: string;
}

export class InputError extends Error {
  readonly code = "BAD_INPUT" as const;
  constructor(
    readonly path: string,
    /** the message without its path (for a Problem list, which prints the path apart) */
    readonly reason: string,
  ) {
    super(path ? `${path}: ${reason}` : reason);
    this.name = "InputError";
  }
  toData(): ErrorData {
    return { code: this.code, message: this.message, path: this.path };
  }
}

export class NumericalError extends Error {
  readonly code = "NUMERICAL" as const;
  constructor(
    /** where: solver stage and type, e.g. "monopoly: inverse marginal cost at theta=0.73" */
    readonly where: string,
    message: string,
  ) {
    super(`${where}: ${message}`);
    this.name = "NumericalError";
  }
  toData(): ErrorData {
    return { code: this.code, message: this.message, path: this.where };
  }
}

export class EnvironmentError extends Error {
  readonly code = "ENVIRONMENT" as const;
  constructor(
    /** the file or folder the operation was about */
    readonly path: string,
    message: string,
    /** the system's error code (ENOSPC, EACCES, …), when there is one */
    readonly errno?: string,
  ) {
    super(message);
    this.name = "EnvironmentError";
  }
  toData(): ErrorData {
    return { code: this.code, message: this.message, path: this.path };
  }
}

/** Format a JSON path from zod-style segments: ["a", 0, "b"] -> "a[0].b". */
export function formatPath(segments: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number") out += `[${s}]`;
    else out += out ? `.${String(s)}` : String(s);
  }
  return out;
}
