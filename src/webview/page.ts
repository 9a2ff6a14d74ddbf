/** What every webview page of ours does the same way: find its elements, and report a blocked resource. */

export const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;

/**
 * Shows a content-security-policy violation in the page's `#csp` paragraph and tells the extension
 * (the tests fail on one): our policies allow no inline script or style, so nothing may need one.
 */
export function reportCspViolations(send: (message: { type: 'cspViolation'; directive: string }) => void): void {
  document.addEventListener('securitypolicyviolation', (e) => {
    const p = $('csp');
    p.hidden = false;
    p.textContent = `Blocked by the content security policy: ${e.violatedDirective}`;
    send({ type: 'cspViolation', directive: e.violatedDirective });
  });
}
