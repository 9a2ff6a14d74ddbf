/**
 * The Case record editor's HTML shell, under the dashboard's Content Security Policy (nothing
 * inline but the nonce'd script, no network). The table is drawn by the script. No `vscode` here.
 */
import { escapeAttr, newNonce, webviewHead } from '../../dashboard/html';

export function caseEditorHtml(parts: { cspSource: string; scriptUri: string; styleUri: string; nonce?: string }): string {
  const nonce = parts.nonce ?? newNonce();
  return `${webviewHead(parts, nonce)}<title>Case record</title>
</head>
<body>
<header class="top" id="top" hidden>
  <h2 id="title" class="title"></h2>
  <span class="actions"><button id="undo" type="button" class="secondary" title="Undo the last case edit (Ctrl+Z)">Undo</button>
  <button id="redo" type="button" class="secondary" title="Redo (Ctrl+Shift+Z)">Redo</button></span>
</header>
<p id="message" class="message">Loading…</p>
<p id="help" class="help" hidden>Each row: the case's value, then the value each article's own form gives. Click a value, or focus a row and press its number (1–9), to take it into the case; Delete clears the case's value.</p>
<table id="fields" class="fields" hidden><thead id="head"></thead><tbody id="rows"></tbody></table>
<p id="status" class="status" role="status" aria-live="polite"></p>
<p id="csp" class="csp-violations" hidden></p>
<script nonce="${nonce}" src="${escapeAttr(parts.scriptUri)}"></script>
</body>
</html>`;
}
