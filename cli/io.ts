// The CLI's terminal and exit codes: engine/io.ts, where the command bodies in workers/ find it
// too (workers/ imports nothing from cli/). Re-exported for the commands.

export { EXIT_ENVIRONMENT, parseNumberList, processIo, reportError, type Io } from "../engine/io.js";
