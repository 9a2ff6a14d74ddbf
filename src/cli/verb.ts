/**
 * The shape of a CLI verb. Each verb lives in its own file under verbs/ and is listed in main.ts;
 * adding a verb touches nothing else.
 */
import type { ParseArgsConfig } from 'node:util';
import type { ExportSink } from '../core/export/sink';
import { FileSystem } from '../core/fileSystem';

export interface CliIO {
  fs: FileSystem;
  out(line: string): void;
  err(line: string): void;
  cwd: string;
  /** Where `export` writes; the local disk unless a test says otherwise. */
  exportSink?: ExportSink;
}

export type OptionSpec = NonNullable<ParseArgsConfig['options']>;

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

export interface Verb {
  name: string;
  /** One line for the tool's --help. */
  summary: string;
  /** The verb's full --help text (usage line first). */
  help: string;
  options: OptionSpec;
  run(args: Parsed, io: CliIO): Promise<number>;
}

/** Exit codes shared by every verb. */
export const EXIT_OK = 0;
export const EXIT_FAILED = 1;
export const EXIT_USAGE = 2;

/** A usage problem: exit 2 with one line (plus a pointer to --help unless `hint` is false). */
export class UsageError extends Error {
  constructor(
    message: string,
    readonly hint = true,
  ) {
    super(message);
  }
}
