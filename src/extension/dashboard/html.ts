/**
 * The dashboard's HTML shell: a strict Content Security Policy (nothing inline but the nonce'd
 * script, no network), the stylesheet and the bundled script. The page shows "Loading…" until
 * the extension posts the numbers. No `vscode` here (unit-tested).
 */
import { randomBytes } from 'node:crypto';

export interface HtmlParts {
  /** `webview.cspSource` */
  cspSource: string;
  /** Webview URIs (as strings) of dist/webview/dashboard.js and media/dashboard.css. */
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18).toString('base64').replace(/[+/=]/g, '');
}

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [`default-src 'none'`, `img-src ${cspSource} data:`, `style-src ${cspSource}`, `script-src 'nonce-${nonce}'`].join('; ');
}

/** Text for a double-quoted HTML attribute. */
export const escapeAttr = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');

/** The top of every webview page of ours: the CSP with its nonce, the viewport, the stylesheet. */
export function webviewHead(parts: { cspSource: string; styleUri: string }, nonce: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeAttr(contentSecurityPolicy(parts.cspSource, nonce))}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeAttr(parts.styleUri)}">
`;
}

export function dashboardHtml(parts: HtmlParts): string {
  const nonce = parts.nonce ?? newNonce();
  return `${webviewHead(parts, nonce)}<title>Misconduct Dashboard</title>
</head>
<body>
<header class="top">
  <h1>Misconduct Dashboard <span id="folder" class="folder"></span></h1>
  <span class="actions"><button id="evaluate" type="button" class="secondary" title="Score each suggestion source against the articles marked done">Evaluate Suggestions</button>
  <button id="refresh" type="button" class="secondary">Refresh</button></span>
</header>
<p id="status" class="status" role="status" aria-live="polite">Loading…</p>
<section id="totals" class="totals" hidden></section>
<main id="charts" class="charts"></main>
<section id="evaluation" class="evaluation" aria-labelledby="evaluation-heading" hidden></section>
<p id="csp" class="csp-violations" hidden></p>
<script nonce="${nonce}" src="${escapeAttr(parts.scriptUri)}"></script>
</body>
</html>`;
}
