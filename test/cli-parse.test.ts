// The quick parse of a plain command line (cli/quick-parse.ts) against yargs (cli/yargs-parse.ts):
// whatever command line the quick parse accepts, yargs parses without a usage error into the same
// command with the same arguments (key for key, values and types), so the commands cannot tell
// which parser ran. Command lines are drawn from the tokens users type and those that trip a
// parser (flags with values, negations, repeated options, number-like words, `--`, help).
import fc from "fast-check";
import { oversubscribed, workerCount } from "../workers/sweep-options.js";
import { describe, expect, it, vi } from "vitest";
import { COMMANDS, type ParsedArgs } from "../cli/command-table.js";
import { main } from "../cli/lpe.js";
import { quickParse } from "../cli/quick-parse.js";
import { parseWithYargs } from "../cli/yargs-parse.js";

/** What yargs hands the command (undefined when it runs none), its exit code and its messages. */
async function viaYargs(argv: string[]): Promise<{ command?: string; args?: ParsedArgs; code: number; said: string[] }> {
  const said: string[] = [];
  let command: string | undefined;
  let args: ParsedArgs | undefined;
  const io = { out: (s: string) => void said.push(s), err: (s: string) => void said.push(s) };
  const code = await parseWithYargs(argv, io, async (c, a) => {
    command = c.name;
    args = { ...a };
    return 0;
  });
  return { command, args, code, said };
}

const TOKENS = [
  ...COMMANDS.map((c) => c.name),
  "f.json",
  "dir/g.json",
  "123",
  "0x1f",
  "1e3",
  "007",
  "-1",
  "-",
  "--",
  "true",
  "false",
  "2",
  "0",
  "1.5",
  "0.5,0.7",
  "a=1",
  "name=b",
  "sweep.params={\"x\":{\"linspace\":[0,1,3]}}",
  "--workers",
  "--workers=2",
  "--workers=-2",
  "--out",
  "--out=",
  "--out=r",
  "--set",
  "--set=x=1",
  "--unset",
  "--only",
  "--figures",
  "--no-figures",
  "--figures=false",
  "--json",
  "--no-json",
  "--at",
  "--at=0.5",
  "--batch-size",
  "--batchSize",
  "--batch-size=8",
  "--emit-slurm",
  "--no-emit-slurm",
  "--cpus-per-task",
  "--time",
  "--mem",
  "--shard",
  "1/2",
  "--resume",
  "--work-limit",
  "--work-limit=none",
  "none",
  "--port",
  "--open",
  "--no-open",
  "--gallery",
  "--help",
  "--version",
  "-h",
  "--bogus",
  "--no-bogus",
  "--set.x",
];

describe("usage errors", () => {
  it("say it in one line: a guess for a misspelt command, an unknown option once, a missing file once", async () => {
    const cases: [string[], string][] = [
      [["solv", "x.json"], 'lpe: unknown command "solv": did you mean solve? (see lpe --help)'],
      [["sweeep"], 'lpe: unknown command "sweeep": did you mean sweep? (see lpe --help)'],
      [["xyz"], 'lpe: unknown command "xyz": the commands are solve, eval, sweep, calibrate, merge, figures, explore, validate, schema (see lpe --help)'],
      [["solve", "f.json", "--bogus-flag"], "lpe: Unknown argument: bogus-flag (see lpe --help)"],
      [["solve", "f.json", "--bogus-flag", "--other-x"], "lpe: Unknown arguments: bogus-flag, other-x (see lpe --help)"],
      // a misspelt option gets the closest of the command's options, its negation included
      [["sweep", "f.json", "--sett", "a=1"], "lpe: Unknown argument: sett; did you mean --set? (see lpe --help)"],
      [["sweep", "f.json", "--workrs", "2"], "lpe: Unknown argument: workrs; did you mean --workers? (see lpe --help)"],
      [["solve", "f.json", "--nofigures"], "lpe: Unknown argument: nofigures; did you mean --no-figures? (see lpe --help)"],
      [["solve", "f.json", "--no-figure"], "lpe: Unknown argument: figure; did you mean --no-figures? (see lpe --help)"],
      // one dash: yargs reads "-workers" as the flags w, o, r, k, e, s
      [["sweep", "f.json", "-workers", "2"], "lpe: Unknown argument: -workers (options take two dashes: did you mean --workers?) (see lpe --help)"],
      [["solve", "f.json", "-no-figures"], "lpe: Unknown argument: -no-figures (options take two dashes: did you mean --no-figures?) (see lpe --help)"],
      [["solve", "f.json", "-zzzzzz"], "lpe: Unknown argument: -zzzzzz (options take two dashes) (see lpe --help)"],
      // a missing file is named, not counted (yargs: "Not enough non-option arguments: got 0, need at least 1")
      [["solve"], "lpe: solve needs a scenario file: lpe solve FILE (see lpe --help)"],
      [["merge"], "lpe: merge needs the folders of the shards to merge: lpe merge DIRS… (see lpe --help)"],
      [["validate"], "lpe: validate needs one or more scenario files: lpe validate FILES… (see lpe --help)"],
      // an option given twice, or with its value missing, is refused (a reviewer found the
      // first crash on an array where a folder was expected, the second run with the default)
      [["solve", "f.json", "--out", "a", "--out", "b"], "lpe: --out is given 2 times (--out a, --out b): give it once (see lpe --help)"],
      [["sweep", "f.json", "--workers", "1", "--workers=2"], "lpe: --workers is given 2 times (--workers 1, --workers 2): give it once (see lpe --help)"],
      [["figures", "f.json", "--out", "a", "--out", "b"], "lpe: --out is given 2 times (--out a, --out b): give it once (see lpe --help)"],
      [["solve", "f.json", "--out"], "lpe: --out needs a value (--out VALUE or --out=VALUE) (see lpe --help)"],
      [["solve", "f.json", "--out", "--no-figures"], "lpe: --out needs a value (--out VALUE or --out=VALUE) (see lpe --help)"],
      [["sweep", "f.json", "--out", "d", "--batch-size"], "lpe: --batch-size needs a value (--batch-size VALUE or --batch-size=VALUE) (see lpe --help)"],
    ];
    for (const [argv, line] of cases) {
      const r = await viaYargs(argv);
      expect(r.code, argv.join(" ")).toBe(2);
      expect(r.command, argv.join(" ")).toBeUndefined();
      expect(r.said, argv.join(" ")).toEqual([line]);
    }
  });
});

describe("options that parse but make no sense", () => {
  it("--out \"\" (an unset shell variable) is refused before anything runs, however it is spelt", async () => {
    for (const argv of [
      ["solve", "no-such.json", "--out", ""],
      ["sweep", "no-such.json", "--out="],
      ["merge", "no-such-dir", "--out", ""],
    ]) {
      const said: string[] = [];
      const code = await main(argv, { out: (s) => void said.push(s), err: (s) => void said.push(s) });
      expect(code, argv.join(" ")).toBe(2);
      // the out check comes first: the missing file is not even looked at
      expect(said, argv.join(" ")).toEqual(["lpe: --out: is empty (an unset shell variable?); name a folder, or leave --out off for the default"]);
    }
  });

  it("more workers than cores is said, with what it costs, and capped at the cores", () => {
    expect(oversubscribed(64, 2)).toBe(
      "--workers 64 is more than the 2 cores this process may use: using 2 (more threads would add memory and start-up time and solve nothing faster; the results are the same)",
    );
    expect(oversubscribed(2, 1)).toMatch(/^--workers 2 is more than the 1 core this/);
    expect(workerCount(1000, 2)).toBe(2);
    expect(workerCount(2, 8)).toBe(2);
    expect(workerCount(undefined, 8)).toBe(8);
  });
});

describe("the quick parse of a command line", () => {
  it("accepts the benchmark's sweep and gives what yargs gives", async () => {
    const argv = ["sweep", "bench/scenarios/leader-fringe-sweep.json", "--workers", "2", "--no-figures", "--out", "/tmp/o", "--set", "sweep.params={}", "--set", "name=b"];
    const q = quickParse(argv);
    expect(q?.command.name).toBe("sweep");
    const y = await viaYargs(argv);
    expect(y.code).toBe(0);
    expect(q!.args).toEqual(y.args);
    expect(q!.args).toMatchObject({ workers: 2, figures: false, out: "/tmp/o", set: ["sweep.params={}", "name=b"] });
  });

  it("accepts validate, merge and figures with several files (no yargs: ~80 ms of each validate) and gives what yargs gives", async () => {
    for (const argv of [
      ["validate", "a.json", "12", "dir/b.json", "--set", "name=x"],
      ["validate", "a.json"],
      ["merge", "r/s/shard-1-of-2", "r/s/shard-2-of-2", "--no-figures"],
      ["figures", "a.json", "b.json", "--only", "menu", "--workers", "2"],
    ]) {
      const q = quickParse(argv);
      expect(q?.command.name, argv.join(" ")).toBe(argv[0]);
      const y = await viaYargs(argv);
      expect(y.code).toBe(0);
      expect(q!.args, argv.join(" ")).toEqual(y.args);
    }
    expect(quickParse(["validate", "a.json", "12"])!.args.files).toEqual(["a.json", "12"]);
  });

  it("refuses words after \"--\", which no command reads (validate checked the file before them alone and said ok)", async () => {
    for (const argv of [
      ["validate", "a.json", "--", "b.json"],
      ["figures", "--", "a.json", "--out", "x"],
    ]) {
      expect(quickParse(argv), argv.join(" ")).toBeUndefined();
      const y = await viaYargs(argv);
      expect(y.code, argv.join(" ")).toBe(2);
      expect(y.command).toBeUndefined();
      expect(y.said.join("\n")).toMatch(/not read by lpe (validate|figures) \(after "--"\?\); put every file and option before it/);
    }
  });

  /** What yargs prints (console.log) for `argv`, which it answers itself (exit 0). */
  async function printedByYargs(argv: string[]): Promise<string[]> {
    const printed: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => void printed.push(a.join(" ")));
    try {
      expect(await parseWithYargs(argv, { out: () => {}, err: () => {} }, async () => 1)).toBe(0);
    } finally {
      log.mockRestore();
    }
    return printed;
  }

  it("answers --version as yargs does", async () => {
    const printed = await printedByYargs(["--version"]);
    const said: string[] = [];
    expect(await main(["--version"], { out: (s) => void said.push(s), err: (s) => void said.push(s) })).toBe(0);
    expect(printed).toHaveLength(1);
    expect(said).toEqual(printed);
  });

  it("prints --help's examples whole, one command a line, and the exit status of --require-certified", async () => {
    const printed = await printedByYargs(["--help"]);
    const lines = printed.join("\n").split("\n");
    const examples = lines.slice(lines.indexOf("Examples:") + 1, lines.indexOf("", lines.indexOf("Examples:")));
    const commands = examples.filter((l) => l.startsWith("  lpe "));
    expect(commands.length).toBeGreaterThanOrEqual(8);
    // each command on a line of its own (a reviewer could not copy "tutorial-mo / nopoly.json"),
    // every other line of the block the indented description of the command above it
    expect(commands).toContain("  lpe solve scenarios/examples/tutorial-monopoly.json");
    for (const l of examples) expect(l, l).toMatch(/^  lpe \S|^      \S/);
    for (const c of commands) expect(c.length, c).toBeLessThanOrEqual(80);
    expect(printed.join("\n").replace(/\s+/g, " ")).toContain("or a solve with --require-certified whose result is written but not certified optimal");
  });

  it("ends each command's own help with the exit statuses (lpe sweep --help did not say what 4 is)", async () => {
    for (const command of ["sweep", "solve", "merge"]) {
      const text = (await printedByYargs([command, "--help"])).join("\n").replace(/\s+/g, " ");
      expect(text, command).toContain("Exit status: 0 ok;");
      expect(text, command).toContain("4 a sweep or merge that wrote every row but in which some points failed or are not certified optimal");
    }
    const sweep = (await printedByYargs(["sweep", "--help"])).join("\n").replace(/\s+/g, " ");
    expect(sweep).toContain("with --set, <name> has the overrides appended");
  });

  it("leaves help, version, misspelled and repeated options to yargs", () => {
    for (const argv of [
      ["--help"],
      ["--version"],
      ["sweep", "f.json", "--help"],
      ["sweep", "f.json", "--workrs", "2"],
      ["sweep", "f.json", "--workers", "2", "--workers", "3"],
      ["sweep", "f.json", "g.json"],
      ["sweep"],
      ["eval", "f.json"],
      ["merge"],
      ["figures"],
      ["sweep", "f.json", "--figures", "false"],
      ["sweep", "f.json", "--workers", "-1"],
      ["sweep", "f.json", "--workers", "2.5"],
    ])
      expect(quickParse(argv), argv.join(" ")).toBeUndefined();
  });

  it("on any command line it accepts, agrees with yargs", async () => {
    // a command line: the command, then options of that command (well formed, with values of
    // every kind) mixed with tokens that trip parsers, and files, in any order
    // file names, some of which yargs reads as numbers or as a flag's value
    const FILES = ["f.json", "f.json", "dir/g.json", "12", "007", "0x1f", "1e3", "true", "false"];
    const VALUES = ["f.json", "r", "2", "0", "007", "1.5", "-1", "1e3", "0x1f", "true", "a=1", "0.5,0.7", "1/2", "01:00:00", "2G", "--", ""];
    const commandLine: fc.Arbitrary<string[]> = fc.constantFrom(...COMMANDS).chain((c) => {
      const tricky = fc.constantFrom(...TOKENS).map((t): string[] => [t]);
      if (c.options.length === 0) return fc.array(tricky, { maxLength: 4 }).map((p) => [c.name, ...p.flat()]);
      const option = fc.constantFrom(...c.options).chain(([name, spec]): fc.Arbitrary<string[]> =>
        spec.type === "boolean"
          ? fc.constantFrom([`--${name}`], [`--no-${name}`])
          : fc.oneof(
              fc.constantFrom(...VALUES).map((v) => [`--${name}`, v]),
              fc.constantFrom(...VALUES).map((v) => [`--${name}=${v}`]),
            ),
      );
      const piece = fc.oneof({ weight: 8, arbitrary: option }, { weight: 1, arbitrary: tricky });
      return fc
        .tuple(fc.array(piece, { maxLength: 6 }), fc.oneof({ weight: 6, arbitrary: fc.constantFrom(...FILES).map((f) => [f]) }, { weight: 1, arbitrary: fc.array(fc.constantFrom(...FILES), { maxLength: 2 }) }), fc.nat())
        .map(([pieces, files, at]) => {
          const all: string[][] = [...pieces];
          for (const f of files) all.splice(at % (all.length + 1), 0, [f]);
          return [c.name, ...all.flat()];
        });
    });
    let accepted = 0;
    await fc.assert(
      fc.asyncProperty(commandLine, async (argv) => {
        const q = quickParse(argv);
        if (!q) return;
        accepted++;
        const y = await viaYargs(argv);
        expect(y.said, argv.join(" ")).toEqual([]);
        expect(y.code).toBe(0);
        expect(y.command).toBe(q.command.name);
        expect(q.args, argv.join(" ")).toEqual(y.args);
      }),
      { numRuns: 3000, seed: 20261202 },
    );
    // the property is not vacuous
    expect(accepted).toBeGreaterThan(200);
  });
});
