/**
 * The parts of package.json derived from src/core: the default label set and one themable colour
 * per default label. `syncManifest` is pure so a unit test can check package.json is in sync.
 */
import { DEFAULT_LABEL_DEFINITIONS, labelColorId, labelIconColorId } from '../src/core/labels';
import { DEFAULT_RELATION_TYPES, defaultDocumentFields } from '../src/core/codebook';
import { SIDECAR_SUFFIX } from '../src/core/sidecar';

/** Case records (one file per case); not written by this version yet, kept out of searches already. */
const CASE_SUFFIX = '.case.json';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Translucent fill for a highlight: the label colour at ~20% opacity. */
export function highlightFill(hex: string): string {
  return `${hex}33`;
}

export function syncManifest(pkg: Json): Json {
  const contributes = (pkg.contributes ??= {});
  const config = contributes.configuration;
  const props = Array.isArray(config) ? config[0]?.properties : config?.properties;
  if (props?.['misconduct.labels']) {
    props['misconduct.labels'].default = DEFAULT_LABEL_DEFINITIONS.map((l) => ({ ...l }));
  }
  if (props?.['misconduct.relations']) props['misconduct.relations'].default = DEFAULT_RELATION_TYPES.map((r) => ({ ...r, from: [...r.from], to: [...r.to] }));
  if (props?.['misconduct.documentFields']) props['misconduct.documentFields'].default = defaultDocumentFields();
  syncFileDefaults((contributes.configurationDefaults ??= {}));
  const ours = new Set(DEFAULT_LABEL_DEFINITIONS.flatMap((l) => [labelColorId(l.name), labelIconColorId(l.name)]));
  const others = (contributes.colors ?? []).filter((c: Json) => !ours.has(c.id));
  contributes.colors = [
    ...DEFAULT_LABEL_DEFINITIONS.map((l) => ({
      id: labelColorId(l.name),
      description: `Highlight for spans labelled "${l.name}".`,
      // translucent in high contrast too: a solid fill puts white or black text under 4.5:1
      defaults: { dark: highlightFill(l.color), light: highlightFill(l.color), highContrast: highlightFill(l.color), highContrastLight: highlightFill(l.color) },
    })),
    ...DEFAULT_LABEL_DEFINITIONS.map((l) => ({
      id: labelIconColorId(l.name),
      description: `Icon colour for the label "${l.name}" in lists and the sidebar.`,
      defaults: { dark: l.color, light: l.color, highContrast: l.color, highContrastLight: l.color },
    })),
    ...others,
  ];
  return pkg;
}

/**
 * Sidecars out of the way, as far as an extension's defaults reach: out of workspace-wide search
 * and replace (a Replace in Files over the corpus rewrote labels inside them), and nested under
 * their article in the Explorer instead of listed after each one.
 */
function syncFileDefaults(defaults: Json): void {
  defaults['search.exclude'] = { [`**/*${SIDECAR_SUFFIX}`]: true, [`**/*${CASE_SUFFIX}`]: true };
  defaults['explorer.fileNesting.enabled'] = true;
  defaults['explorer.fileNesting.patterns'] = Object.fromEntries(['txt', 'md'].map((ext) => [`*.${ext}`, `\${capture}.${ext}${SIDECAR_SUFFIX}`]));
}
