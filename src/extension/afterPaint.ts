/**
 * Waiting until the window has had the extension host's last messages. The extension host queues
 * its messages to the workbench (`setDecorations`, status bar, views) and sends them after the
 * current task; in a remote window (code-server, VS Code for the web, SSH) the socket then
 * compresses each batch and writes it from an I/O callback, which runs only once the event loop
 * is free. Work scheduled for "the next task" (`setTimeout(…, 0)`) runs before that callback, so
 * it holds back the very paint it meant to let through: measured, a preview of a 5 MB article
 * reached the window only after the full load that followed it on the next task (700 ms later),
 * and under load a fixed 30 ms was not always enough either. And the window handles what arrives
 * before its next frame in that frame: a tag's status bar count and suggestion underlines, sent
 * 30 ms after its highlight, still delayed the highlight's paint. So what follows a change waits
 * for a round trip and a frame.
 */
import * as vscode from 'vscode';

/** A frame of the window, for the paint that follows the message. */
const FRAME_MS = 16;

/**
 * How long to leave the window for painting what it has just received before starting long work of
 * our own. On two cores the window, the server and the extension host compete for the processor,
 * and the window painted an article's preview 50-90 ms after its message arrived (traced through
 * code-server); a load that started one frame after the round trip took the processor from that
 * paint. Measured on the 200 KB report, from the document reaching the extension host to its first
 * highlights painted: a median of 109-119 ms after one frame, 81 ms after this wait (the floor
 * extension, from its one decoration: 72-83 ms), in 5-9 windows each.
 */
export const PAINT_MS = 80;

/**
 * Resolves once the window has handled every message sent before the call (a round trip: the
 * workbench answers requests in order), plus `settleMs` for the paint (a frame, or `PAINT_MS`
 * before long work); the round trip waits at most `timeoutMs`.
 */
export async function windowHasMessages(settleMs = FRAME_MS, timeoutMs = 1000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const roundTrip = Promise.resolve(vscode.languages.getLanguages()).then(
    () => undefined,
    () => undefined,
  );
  await Promise.race([roundTrip, new Promise<void>((resolve) => (timer = setTimeout(resolve, timeoutMs)))]);
  clearTimeout(timer);
  await new Promise((resolve) => setTimeout(resolve, settleMs));
}
