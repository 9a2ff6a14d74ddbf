// The corpus dashboard as a person uses it: run "Misconduct: Show Dashboard" from the command
// palette, see the totals, charts and tables of the sample corpus, copy a table as CSV, click a
// table row to pick among its articles (a Quick Pick) and a bar (SVG) to open its one article.
import assert from 'node:assert/strict';
import { useVSCode } from './fixture.mjs';
import { runCommand, screenshot } from './helpers.mjs';
import { waitFor } from '../harness/codeServer.mjs';

/** The dashboard's document: VS Code nests the page in two iframes. */
function dashboard(page) {
  return page.frameLocator('iframe.webview').first().frameLocator('#active-frame');
}

describe('dashboard', function () {
  const vs = useVSCode();

  it('shows the corpus numbers in charts and tables, copies CSV and opens articles', async function () {
    // the palette lists our commands once the extension's contributions are in (its activity bar entry shows)
    await vs.page.locator('.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]').first().waitFor({ timeout: 30_000 });
    await runCommand(vs.page, 'Misconduct: Show Dashboard');
    const frame = dashboard(vs.page);
    // "Loading…" until the extension posts the numbers, then the totals
    const articles = frame.locator('#total-articles .number');
    await articles.waitFor({ timeout: 30_000 });
    assert.equal(await articles.textContent(), '5');
    assert.equal(await frame.locator('#total-annotations .number').textContent(), '44');
    assert.ok(await frame.locator('#status').isHidden(), 'the loading message is gone');

    // every chart is drawn (an SVG of a sensible size) next to its table
    for (const id of ['status', 'labels', 'forces', 'matrix']) {
      const box = await frame.locator(`#chart-${id} svg.plot`).boundingBox();
      assert.ok(box && box.width > 100 && box.height > 100, `${id} chart drawn: ${JSON.stringify(box)}`);
      assert.ok(await frame.locator(`#chart-${id} table`).isVisible(), `${id} table shown`);
      assert.ok((await frame.locator(`#chart-${id} svg.plot .mark`).count()) > 0, `${id} has bars or slices`);
    }
    // each label's bar in the label's colour (the defaults: force blue, allegation vermilion, sanction green)
    const barColours = await frame.locator('#chart-labels svg.plot .mark').evaluateAll((bars) => bars.map((b) => getComputedStyle(b).fill));
    const labelNames = await frame.locator('#chart-labels tbody th').allTextContents();
    const expected = { Force: 'rgb(0, 114, 178)', Allegation: 'rgb(213, 94, 0)', Sanction: 'rgb(0, 158, 115)' };
    assert.deepEqual(barColours, labelNames.map((n) => expected[n.trim()]), `bars ${JSON.stringify(barColours)} for ${labelNames}`);
    // "Hampshire" counts with its force, not apart from it
    assert.equal(await frame.locator('#chart-forces tbody tr', { hasText: /^\s*Hampshire\s*\d+\s*$/ }).count(), 0);
    assert.match(await frame.locator('#chart-forces tr', { hasText: 'Hampshire and Isle of Wight Constabulary' }).textContent(), /3\s*$/);
    const staffs = frame.locator('#chart-forces tr', { hasText: 'Staffordshire Police' });
    assert.equal((await staffs.locator('td').first().textContent()).trim(), '4');
    assert.ok(await frame.locator('#csp').isHidden(), `no CSP violation: ${await frame.locator('#csp').textContent()}`);
    await screenshot(vs.page, 'dashboard');
    await frame.locator('#chart-matrix').scrollIntoViewIfNeeded();
    await screenshot(vs.page, 'dashboard-matrix');
    // the matrix stays inside its card, and the wheel over its table scrolls the page
    const fits = await frame.locator('#chart-matrix').evaluate((card) => {
      const box = card.querySelector('.table-box');
      return { card: card.getBoundingClientRect().right, table: box.getBoundingClientRect().right, overflowY: getComputedStyle(box).overflowY };
    });
    assert.ok(fits.table <= fits.card + 0.5, JSON.stringify(fits));
    assert.notEqual(fits.overflowY, 'auto');

    // Copy as CSV goes through the extension (vscode.env.clipboard)
    await vs.page.evaluate(() => navigator.clipboard.writeText(''));
    await frame.locator('#chart-forces button', { hasText: 'Copy as CSV' }).click();
    const csv = await waitFor(async () => (await vs.page.evaluate(() => navigator.clipboard.readText())) || false, { what: 'the CSV on the clipboard', timeoutMs: 10_000 });
    assert.match(csv, /^Force,Annotations\r\nStaffordshire Police,4\r\n/);

    // several articles → a Quick Pick; one → the article opens
    await frame.locator('#chart-status button.link', { hasText: 'Not started' }).click();
    const picks = vs.page.locator('.quick-input-widget .monaco-list-row');
    await waitFor(async () => (await picks.count()) === 2, { what: 'a Quick Pick of the two articles not started', timeoutMs: 10_000 });
    await screenshot(vs.page, 'dashboard-quickpick');
    await vs.page.keyboard.press('Escape');
    await vs.page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
    // the first bar of "Forces most often named" is Staffordshire Police, named in one article: a
    // button by its name, as a screen reader or the keyboard (Tab) finds it
    const bar = frame.getByRole('button', { name: 'Staffordshire Police, Annotations: 4', exact: true });
    assert.equal(await bar.getAttribute('tabindex'), '0');
    await bar.click();
    await vs.page.locator('.tab.active[data-resource-name="000_fafa6f8612fe896a.txt"]').waitFor();
  });
});

describe('dashboard in the dark theme', function () {
  const vs = useVSCode({ settings: { 'workbench.colorTheme': 'Default Dark Modern' } });

  it('draws the charts in the theme\'s colours: slices in its chart colours, text in its foreground', async function () {
    await vs.page.locator('.part.activitybar .action-item a[aria-label^="Misconduct Annotator"], .part.activitybar .action-label[aria-label^="Misconduct Annotator"]').first().waitFor({ timeout: 30_000 });
    await runCommand(vs.page, 'Misconduct: Show Dashboard');
    const frame = dashboard(vs.page);
    const slice = frame.locator('#chart-status svg.plot .mark').first();
    await slice.waitFor({ timeout: 30_000 });
    const seen = await slice.evaluate((first) => {
      const css = getComputedStyle(document.body);
      /** A CSS colour as the browser computes it (rgb(…)), to compare with a computed fill. */
      const colour = (value) => {
        const probe = document.createElement('span');
        probe.hidden = true;
        document.body.append(probe);
        probe.style.color = value.trim(); // CSSOM: allowed by the CSP
        const rgb = getComputedStyle(probe).color;
        probe.remove();
        return rgb;
      };
      return {
        dark: document.body.classList.contains('vscode-dark'),
        slice: getComputedStyle(first).fill === colour(css.getPropertyValue('--vscode-charts-blue')),
        text: getComputedStyle(document.querySelector('#chart-labels svg.plot text')).fill === colour(css.getPropertyValue('--vscode-foreground')),
      };
    });
    assert.deepEqual(seen, { dark: true, slice: true, text: true });
    assert.ok(await frame.locator('#csp').isHidden(), `no CSP violation: ${await frame.locator('#csp').textContent()}`);
    await screenshot(vs.page, 'dashboard-dark');
    await frame.locator('#chart-matrix').scrollIntoViewIfNeeded();
    await screenshot(vs.page, 'dashboard-dark-matrix');
  });
});
