/**
 * Writes an article's sidecar: one queued write at a time per article, only for the exact text on
 * disk, merging another writer's change first and asking the user about a real conflict (the rules
 * are in articleStore.ts).
 */
import { decodeArticle, sha256Hex } from '../../core/article';
import { mergeSidecars } from '../../core/merge';
import { ReanchorReport } from '../../core/reanchor';
import { Sidecar } from '../../core/schema';
import { parseSidecar, readSidecarBytes, reconcileWithArticle, SidecarError } from '../../core/sidecar';
import { encodeUtf8Steps, serializeSidecar, serializeSidecarSteps } from '../../core/sidecarEncoding';
import { Steps } from '../../core/steps';
import { SidecarProtectedError, writeFileAtomic, writeSidecar } from '../../core/sidecarWrite';
import { beforeWrite, inSlices } from '../common/scheduling';
import { perfMark } from '../devProfile';
import { documentLength, readerOf } from '../common/documentText';
import { readBytes, vscodeFileSystem } from '../vscodeFileSystem';
import { ArticleSession, SessionEvents } from './articleSession';
import { Notifier } from './notifier';

export class SidecarWriter {
  constructor(
    private readonly notify: Notifier,
    private readonly events: SessionEvents,
  ) {}

  /**
   * Queues a write of the session's sidecar. Requests made while one is queued and not started
   * join it (its snapshot is taken when it starts, so it includes them).
   */
  requestWrite(session: ArticleSession, evenIfClean = false): Promise<void> {
    if (session.document.isUntitled || session.state.kind === 'unreadable') return Promise.resolve();
    session.writeRequested = Date.now();
    if (session.writeQueued) return session.queue.idle();
    session.writeQueued = true;
    return session.queue.run(async () => {
      // the change's decorations go to the window when this task ends, and the write's snapshot
      // would hold them back: the write starts later (still in the queue, so flush waits for it)
      await beforeWrite(session.doc.size, () => session.writeRequested);
      session.writeQueued = false;
      if (evenIfClean || session.doc.dirty) await this.writeNow(session);
    });
  }

  /** Lets every queued read and write of a session finish, then writes what is still pending. */
  async flush(session: ArticleSession): Promise<void> {
    await session.queue.idle();
    if (session.doc.dirty && session.writable && !session.document.isDirty) await this.requestWrite(session);
  }

  /** After spans were re-anchored: orphans are reported, and the new offsets are written once the article is clean. */
  reportReanchor(session: ArticleSession, report: ReanchorReport): void {
    if (report.orphaned.length) this.notify.orphans(session, report.orphaned.length);
    if (report.moved || report.orphaned.length) {
      session.doc.markDirty();
      if (!session.document.isDirty) void this.requestWrite(session);
    }
  }

  /** Looks for the session's orphans in the live text again. */
  retryOrphans(session: ArticleSession): void {
    if (session.document.isClosed || !session.doc.orphanCount) return;
    const back = session.doc.retryOrphans(readerOf(session.document), documentLength(session.document));
    if (back.length) this.notify.reattached(session, back.length);
  }

  /**
   * The write job (runs in the session's queue). Writes the sidecar for the live text only when
   * the article on disk is that text; merges first when the sidecar changed on disk.
   */
  async writeNow(session: ArticleSession): Promise<void> {
    perfMark('write: start');
    if (session.state.kind === 'invalid') {
      if (session.doc.dirty) this.notify.invalidSidecar(session, session.state.error);
      return;
    }
    if (!session.writable) return;
    const document = session.document;
    // unsaved text: the sidecar's offsets would not match the article on disk; its save writes
    if (document.isDirty) return;
    const sidecarPath = session.sidecarUri.toString();
    try {
      const bytes = await readBytes(document.uri).then(
        (b) => b,
        () => undefined,
      );
      // the article was renamed or deleted: its sidecar moved with it (or goes with it)
      if (!bytes) return;
      const diskSha = sha256Hex(bytes);
      const diskBytes = await readSidecarBytes(vscodeFileSystem, sidecarPath);
      const onDisk = diskBytes && session.decodeSidecar(sidecarPath, diskBytes);
      // --- synchronous from here to the write: the snapshot is one moment of the live text
      const ours = onDisk !== undefined && session.isOurs(onDisk);
      if (onDisk !== undefined && !ours && !this.mergeFromDisk(session, onDisk)) return;
      if (onDisk === undefined && session.diskText !== undefined && session.base) {
        // deleted on disk since we read it: the watcher asks the user; do not write it back here
        return;
      }
      const text = document.getText();
      const version = document.version;
      const revision = session.doc.revision;
      if (session.liveSha(text) !== diskSha) {
        // not the text on disk, though nothing is unsaved: VS Code made the line endings of a file
        // that mixes CRLF and LF uniform (its save writes them so), or the file changed on disk and
        // its reload is on the way (the reload's change writes)
        if (sameButLineEndings(bytes, text)) {
          this.notify.mixedLineEndings(session);
          this.events.written(session, 'held: mixed line endings');
        }
        return;
      }
      session.savedText = text;
      this.retryOrphans(session);
      // (merge conflicts recorded by the git driver are in the document until resolved)
      // --- the snapshot is taken now, for `text`, and encoded in slices so that a tag or a key is
      // not held for the whole of a long sidecar; changes meanwhile are written by the next write
      const { sidecar, serialized, bytes: utf8 } = await inSlices(this.encode(session, text, diskSha));
      // --- the write itself; refuses over a file that is not a valid sidecar. Watcher events for
      // it are handled in this queue, after this job: by then it is known as our own. What is on
      // disk was checked when it was read or written by this session, or parsed by a merge.
      const outcome = await writeSidecar(vscodeFileSystem, sidecarPath, sidecar, { existing: onDisk, existingIsOurs: ours, serialized, bytes: utf8 });
      if (outcome !== 'skipped-empty') {
        session.wrote(serialized, utf8);
        session.base = sidecar;
        session.doc.markSaved(sidecar);
      }
      // annotation changes or typing while the file was written still need a write
      if (document.version === version && session.doc.revision === revision) session.doc.markClean();
      this.events.written(session, outcome);
    } catch (err) {
      if (err instanceof SidecarProtectedError) {
        session.state = { kind: 'invalid', error: err.sidecarError };
        this.notify.invalidSidecar(session, err.sidecarError);
      } else {
        this.notify.writeFailed(session, err as Error);
      }
      this.events.written(session, 'failed');
    }
  }

  /** The session's sidecar for `text`, its canonical text and that text's UTF-8, in steps. */
  private *encode(session: ArticleSession, text: string, sha: string): Steps<{ sidecar: Sidecar; serialized: string; bytes: Uint8Array }> {
    const sidecar = yield* session.doc.toSidecarSteps(text, sha, session.base?.$schema);
    const serialized = yield* serializeSidecarSteps(sidecar);
    return { sidecar, serialized, bytes: yield* encodeUtf8Steps(serialized) };
  }

  /**
   * Takes in a sidecar that another writer changed on disk (synchronous). Without unsaved
   * annotation changes it is simply loaded; with them, it is merged by annotation id after all
   * three sides are re-anchored to the live text. Returns true when the live annotations now
   * include the disk's changes (and may be written); false when the file is invalid or conflicts.
   */
  mergeFromDisk(session: ArticleSession, onDisk: string): boolean {
    const text = session.document.getText();
    const sha = session.liveSha(text);
    const file = session.sidecarUri.fsPath;
    let parsed: Sidecar;
    let theirs: Sidecar;
    let reanchored: ReanchorReport | undefined;
    try {
      parsed = parseSidecar(file, onDisk);
      const loaded = reconcileWithArticle(file, parsed, text, sha);
      theirs = loaded.sidecar;
      reanchored = loaded.reanchored;
    } catch (err) {
      if (!(err instanceof SidecarError)) throw err;
      session.state = { kind: 'invalid', error: err };
      session.setDisk(onDisk);
      this.notify.invalidSidecar(session, err);
      this.events.changed(session);
      return false;
    }
    if (!session.doc.dirty) {
      session.doc.load(theirs, text);
      session.setDisk(onDisk);
      session.base = parsed;
      session.state = { kind: 'ok' };
      if (reanchored) this.reportReanchor(session, reanchored);
      this.events.opened(session);
      this.events.changed(session);
      return true;
    }
    const mine = session.doc.toSidecar(text, sha);
    let base: Sidecar | undefined;
    if (session.base) {
      try {
        base = reconcileWithArticle(file, session.base, text, sha).sidecar;
      } catch {
        base = undefined;
      }
    }
    const { merged, conflicts } = mergeSidecars(base, mine, theirs);
    if (conflicts.length) {
      session.conflict = { onDisk };
      this.events.changed(session);
      void this.notify.mergeConflict(session, conflicts.length).then((choice) => session.queue.run(() => this.resolveConflict(session, choice)));
      return false;
    }
    session.doc.load(merged, text);
    session.doc.markDirty();
    session.setDisk(onDisk);
    session.base = parsed;
    this.events.opened(session);
    this.events.changed(session);
    return true;
  }

  /** The user's answer to a merge conflict (runs in the queue). */
  private async resolveConflict(session: ArticleSession, choice: 'mine' | 'theirs' | undefined): Promise<void> {
    const conflict = session.conflict;
    if (!conflict || !choice) return;
    session.conflict = undefined;
    if (choice === 'theirs') {
      session.doc.markClean();
      if (!this.mergeFromDisk(session, conflict.onDisk)) return;
    } else {
      // keep mine: the file on disk is what we now write over, knowingly
      session.setDisk(conflict.onDisk);
      session.doc.markDirty();
    }
    this.events.changed(session);
    if (!session.document.isDirty) await this.writeNow(session);
  }

  /**
   * Writes the annotations the editor holds over a sidecar that is not valid on disk: only when
   * the user asks (the invalid file is someone's work too), and only for a saved article, whose
   * bytes the offsets must match. Returns what happened, for the message and for tests.
   */
  async writeBack(session: ArticleSession): Promise<'written' | 'not invalid' | 'unsaved' | 'failed'> {
    return session.queue.run(async () => {
      if (session.state.kind !== 'invalid') return 'not invalid';
      const document = session.document;
      if (document.isDirty) return 'unsaved';
      try {
        const bytes = await readBytes(document.uri);
        const text = document.getText();
        const sha = sha256Hex(bytes);
        if (session.liveSha(text) !== sha) return 'unsaved';
        const sidecar = session.doc.toSidecar(text, sha);
        const serialized = serializeSidecar(sidecar);
        const utf8 = new TextEncoder().encode(serialized);
        await writeFileAtomic(vscodeFileSystem, session.sidecarUri.toString(), utf8);
        session.wrote(serialized, utf8);
        session.base = sidecar;
        session.savedText = text;
        session.state = { kind: 'ok' };
        session.doc.markSaved(sidecar);
        session.doc.markClean();
        this.events.changed(session);
        this.events.written(session, 'written');
        return 'written';
      } catch (err) {
        this.notify.writeFailed(session, err as Error);
        return 'failed';
      }
    });
  }
}

/** Whether the file's text and the editor's differ only in their line breaks (CRLF, LF or CR). */
function sameButLineEndings(bytes: Uint8Array, text: string): boolean {
  let disk: string;
  try {
    disk = decodeArticle(bytes); // (without a BOM, as VS Code shows it)
  } catch {
    return false;
  }
  const lf = (s: string) => s.replace(/\r\n?/g, '\n');
  return disk !== text && lf(disk) === lf(text);
}
