/**
 * The Case record editor and Merge Cases…: a lazy module of its own (scripts/build.mjs, LAZY),
 * loaded the first time one of them is used; activation registers their commands alone.
 */
export { CaseEditorController } from './panel';
export type { CaseEditorDeps } from './panel';
export { mergeCasesFlow } from './mergeCases';
export type { MergeArgs } from './mergeCases';
export type { CaseEditorState } from './protocol';
