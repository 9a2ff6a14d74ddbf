/**
 * Highlights must keep the article readable (issue 18, point 4). Where a label's highlight is drawn,
 * the text is drawn in the editor's foreground (the decoration's `color`), so what has to hold is:
 * the editor foreground on the highlight fill, blended over the editor background, reaches WCAG AA
 * for text (4.5:1) in every built-in theme, for every default label and every colour a new label
 * gets. The label's solid colour (bottom border) must reach 3:1 against the
 * background (WCAG 1.4.11, non-text contrast).
 *
 * The fills come from what we ship: package.json's `contributes.colors` defaults for the default
 * labels, and the `${colour}33` fill decorationTypes.ts gives other labels.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { DEFAULT_LABEL_DEFINITIONS, EXTRA_LABEL_COLORS, labelColorId } from '../../src/core/labels';
import { highlightFill } from '../../scripts/manifest';
import { REPO } from './helpers';

type Rgba = [number, number, number, number];

function parse(hex: string): Rgba {
  let h = hex.replace(/^#/, '');
  if (h.length === 3 || h.length === 4) h = [...h].map((c) => c + c).join('');
  assert.match(h, /^([0-9a-f]{6}|[0-9a-f]{8})$/i, `colour ${hex}`);
  const n = (i: number) => parseInt(h.slice(i, i + 2), 16);
  return [n(0), n(2), n(4), h.length === 8 ? n(6) / 255 : 1];
}

/** `top` (possibly translucent) composited over an opaque `bottom`. */
function over(top: Rgba, bottom: Rgba): Rgba {
  const a = top[3];
  return [0, 1, 2].map((i) => top[i] * a + bottom[i] * (1 - a)).concat(1) as Rgba;
}

/** WCAG 2.x relative luminance. */
function luminance([r, g, b]: Rgba): number {
  const lin = (c: number) => {
    const s = c / 255;
    return s <= 0.04045 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(r) + 0.7152 * lin(g) + 0.0722 * lin(b);
}

export function contrast(a: Rgba, b: Rgba): number {
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

/**
 * The editor background and foreground of VS Code's built-in themes (theme-defaults in VS Code
 * 1.139; High Contrast Light sets neither and gets the workbench defaults white / #292929).
 */
const THEMES = [
  { name: 'Light Modern', kind: 'light', background: '#FFFFFF', foreground: '#3B3B3B' },
  { name: 'Light+', kind: 'light', background: '#FFFFFF', foreground: '#000000' },
  { name: '2026 Light', kind: 'light', background: '#FFFFFF', foreground: '#202020' },
  { name: 'Dark Modern', kind: 'dark', background: '#1F1F1F', foreground: '#CCCCCC' },
  { name: 'Dark+', kind: 'dark', background: '#1E1E1E', foreground: '#D4D4D4' },
  { name: '2026 Dark', kind: 'dark', background: '#121314', foreground: '#BBBEBF' },
  { name: 'High Contrast', kind: 'highContrast', background: '#000000', foreground: '#FFFFFF' },
  { name: 'High Contrast Light', kind: 'highContrastLight', background: '#FFFFFF', foreground: '#292929' },
] as const;

interface ColorContribution {
  id: string;
  defaults: Record<string, string>;
}

const pkg = JSON.parse(fs.readFileSync(path.join(REPO, 'package.json'), 'utf8')) as { contributes: { colors: ColorContribution[] } };

/** Every label colour a user sees by default: its name, solid colour and fill per theme kind. */
function shippedLabels(): { name: string; color: string; fill: (kind: string) => string }[] {
  const defaults = DEFAULT_LABEL_DEFINITIONS.map((l) => {
    const contribution = pkg.contributes.colors.find((c) => c.id === labelColorId(l.name));
    assert.ok(contribution, `package.json contributes ${labelColorId(l.name)}`);
    return { name: l.name, color: l.color, fill: (kind: string) => contribution.defaults[kind] };
  });
  const extras = EXTRA_LABEL_COLORS.map((color, i) => ({ name: `added label ${i + 1} (${color})`, color, fill: () => highlightFill(color) }));
  return [...defaults, ...extras];
}

describe('contrast of label highlights (WCAG)', () => {
  it('computes ratios as WCAG defines them', () => {
    assert.equal(contrast(parse('#000'), parse('#fff')).toFixed(1), '21.0');
    assert.equal(contrast(parse('#777777'), parse('#ffffff')).toFixed(2), '4.48');
    // the two cases the issue measured, with the grammar's colours drawn over the old fills
    assert.ok(contrast(parse('#009E73'), over(parse('#0072B233'), parse('#FFFFFF'))) < 4.5);
  });

  for (const theme of THEMES) {
    it(`keeps the editor foreground at 4.5:1 or more on every label highlight in ${theme.name}`, () => {
      const background = parse(theme.background);
      const foreground = parse(theme.foreground);
      const failures: string[] = [];
      const ratios: string[] = [];
      for (const label of shippedLabels()) {
        const fill = label.fill(theme.kind);
        assert.ok(fill, `${label.name} has a ${theme.kind} default`);
        const ratio = contrast(foreground, over(parse(fill), background));
        ratios.push(`${label.name} ${ratio.toFixed(2)}`);
        if (ratio < 4.5) failures.push(`${label.name}: text ${theme.foreground} on ${fill} over ${theme.background} is ${ratio.toFixed(2)}:1`);
      }
      assert.deepEqual(failures, [], ratios.join(', '));
    });

    it(`draws every label's own colour at 3:1 or more against the ${theme.name} background`, () => {
      const background = parse(theme.background);
      // the extra colours include a yellow and a grey meant for fills: only the default labels'
      // solid colours are drawn as borders without the user choosing them
      const failures = DEFAULT_LABEL_DEFINITIONS.map((l) => ({ l, ratio: contrast(parse(l.color), background) }))
        .filter(({ ratio }) => ratio < 3)
        .map(({ l, ratio }) => `${l.name} ${l.color}: ${ratio.toFixed(2)}:1`);
      assert.deepEqual(failures, []);
    });
  }
});
