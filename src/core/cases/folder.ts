/**
 * The case records of a cases folder: every `<id>.case.json` directly in it, read and checked.
 * What cannot be read as a case is reported in one line and left out, never fatal: a link to a
 * file outside the folder, a FIFO or device, a file over the size limit, broken JSON, a file whose
 * name is not its id, two files with one id.
 */
import { FileSystem } from '../fileSystem';
import { CaseFileError, caseFileName, caseIdOfFileName, isCaseFileName, parseCase, readCaseText } from './caseFile';
import { CaseRecord } from './schema';

export interface LoadedCase {
  /** The file's path. */
  path: string;
  record: CaseRecord;
}

export interface CaseListing {
  /** The readable, valid records, by id. */
  cases: LoadedCase[];
  /** One line per file left out or problem found, naming the file. */
  problems: string[];
  /** Whether the folder exists at all. */
  exists: boolean;
}

function isInside(parent: string, child: string): boolean {
  const base = /[\\/]$/.test(parent) ? parent : parent + (parent.includes('\\') && !parent.includes('/') ? '\\' : '/');
  return child.startsWith(base);
}

/** Lists and reads the case records of `folder` (a missing folder holds none). */
export async function listCases(fs: FileSystem, folder: string): Promise<CaseListing> {
  const stat = await fs.stat(folder);
  if (!stat) return { cases: [], problems: [], exists: false };
  if (stat.type !== 'directory') return { cases: [], problems: [`${folder}: is not a folder; no cases read`], exists: false };
  const realFolder = fs.realPath ? await fs.realPath(folder) : undefined;
  const entries = (await fs.readDirectory(folder)).filter(([name]) => isCaseFileName(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const cases: LoadedCase[] = [];
  const problems: string[] = [];
  const byId = new Map<string, string>();
  for (const [name, type] of entries) {
    const path = fs.join(folder, name);
    if (type === 'directory') {
      problems.push(`${path}: is a folder, not a case file; left out`);
      continue;
    }
    if (type === 'symlink' && realFolder !== undefined && !isInside(realFolder, await fs.realPath!(path))) {
      problems.push(`${path}: is a link to a file outside the cases folder; left out`);
      continue;
    }
    try {
      const text = await readCaseText(fs, path);
      if (text === undefined) continue; // removed since the listing
      const record = parseCase(path, text);
      if (caseIdOfFileName(name) !== record.id) {
        problems.push(`${path}: holds case ${record.id}, but its name says ${caseIdOfFileName(name)}; rename it ${caseFileName(record.id)}`);
        continue;
      }
      const other = byId.get(record.id);
      if (other !== undefined) {
        problems.push(`${path}: case id ${record.id} is also the id of ${other}; left out`);
        continue;
      }
      byId.set(record.id, path);
      cases.push({ path, record });
    } catch (err) {
      if (!(err instanceof CaseFileError)) throw err;
      problems.push(...err.problems.map((p) => `${p}; left out`));
    }
  }
  return { cases, problems, exists: true };
}
