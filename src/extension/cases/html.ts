/**
 * The Case view's HTML shell, under the dashboard's Content Security Policy (nothing inline but
 * the nonce'd script, no network). The form is drawn by the script from the state the extension
 * posts. No `vscode` here (unit-tested).
 */
import { escapeAttr, newNonce, webviewHead } from '../dashboard/html';

export interface CaseHtmlParts {
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  nonce?: string;
}

export function caseHtml(parts: CaseHtmlParts): string {
  const nonce = parts.nonce ?? newNonce();
  return `${webviewHead(parts, nonce)}<title>Case</title>
</head>
<body>
<header class="top" id="top" hidden>
  <h2 id="file" class="file"></h2>
  <button id="accept-all" type="button" hidden>Accept all suggestions</button>
</header>
<p id="message" class="message">Loading…</p>
<form id="form" class="form" hidden></form>
<p id="status" class="status" role="status" aria-live="polite"></p>
<p id="csp" class="csp-violations" hidden></p>
<script nonce="${nonce}" src="${escapeAttr(parts.scriptUri)}"></script>
</body>
</html>`;
}
