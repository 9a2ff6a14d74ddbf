/**
 * Runs a list of verbs as a program: the dispatch, `--help` and `--version`, usage errors in one
 * line, and the process glue (exit code, a closed pipe). Both entries use it: the whole CLI
 * (main.ts) and git's merge driver alone (mergeDriverMain.ts, what the extension's package carries).
 */
import { parseArgs } from 'node:util';
import { nodeFileSystem } from '../core/fileSystem';
import { CliIO, EXIT_USAGE, UsageError, Verb } from './verb';

function toolHelp(verbs: readonly Verb[]): string {
  const width = Math.max(...verbs.map((v) => v.name.length));
  return [
    'Usage: misconduct-annotate <verb> [options]',
    '',
    'Work with Misconduct Annotator sidecars (<article>.annotations.json) from the command line.',
    '',
    'Verbs:',
    ...verbs.map((v) => `  ${v.name.padEnd(width)}  ${v.summary}`),
    '',
    'Run `misconduct-annotate <verb> --help` for a verb\'s options.',
    'Exit codes: 0 success, 1 problems found in the data, 2 usage error.',
  ].join('\n');
}

export async function runVerbs(verbs: readonly Verb[], argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    io.out(toolHelp(verbs));
    return name ? 0 : EXIT_USAGE;
  }
  if (name === '--version' || name === '-v') {
    io.out(typeof __VERSION__ === 'string' ? __VERSION__ : 'dev');
    return 0;
  }
  const verb = verbs.find((v) => v.name === name);
  if (!verb) {
    io.err(`misconduct-annotate: unknown verb "${name}"\n\n${toolHelp(verbs)}`);
    return EXIT_USAGE;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(verb.help);
    return 0;
  }
  try {
    const parsed = parseArgs({ args: rest, options: verb.options, allowPositionals: true, strict: true });
    return await verb.run(parsed as never, io);
  } catch (err) {
    if (err instanceof UsageError || (err as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
      // the message and a pointer, not 25 lines of help burying it
      const hint = err instanceof UsageError && !err.hint ? '' : ` (see misconduct-annotate ${verb.name} --help)`;
      io.err(`misconduct-annotate ${verb.name}: ${(err as Error).message}${hint}`);
      return EXIT_USAGE;
    }
    throw err;
  }
}

declare const __VERSION__: string | undefined;

/** Output closed early (`… | head`): the reader has what it wanted; stop quietly. */
function quietOnClosedPipe(stream: NodeJS.WriteStream): void {
  stream.on('error', (err: NodeJS.ErrnoException) => {
    if (err.code === 'EPIPE') process.exit(0);
    throw err;
  });
}

/** Runs the verbs on this process's arguments, on the local disk, and sets its exit code. */
export function runProgram(verbs: readonly Verb[]): void {
  quietOnClosedPipe(process.stdout);
  const io: CliIO = {
    fs: nodeFileSystem,
    out: (line) => process.stdout.write(line + '\n'),
    err: (line) => process.stderr.write(line + '\n'),
    cwd: process.cwd(),
  };
  runVerbs(verbs, process.argv.slice(2), io).then(
    (code) => {
      process.exitCode = code;
    },
    (err) => {
      if ((err as NodeJS.ErrnoException)?.code === 'EPIPE') process.exit(0);
      // one line for the user; the stack only when asked for
      const e = err as Error;
      process.stderr.write(`misconduct-annotate: ${process.env.MISCONDUCT_DEBUG ? (e.stack ?? e) : (e?.message ?? e)}\n`);
      process.exitCode = 1;
    },
  );
}
