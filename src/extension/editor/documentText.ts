// Temporary: src/extension/store/articleStore.ts still imports the readers from here; they live in
// common/documentText.ts. Remove this file when the store imports them from there.
export { documentLength, readerOf } from '../common/documentText';
