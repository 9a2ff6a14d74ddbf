/**
 * Case records: one case coded once from every article that reports it (issue 31). The entry of
 * the `cases` lazy module (scripts/build.mjs): code outside this folder imports from here only.
 */
export { CASE_ID_PATTERN, CASE_VERSION, caseSchema, EVIDENCE_ID_PATTERN, evidencePathProblem, toCaseJsonSchema } from './schema';
export type { CaseConflict, CaseRecord, Evidence } from './schema';
export {
  CASE_SUFFIX,
  CaseFileError,
  caseFileName,
  caseIdOfFileName,
  CaseProtectedError,
  compareEvidence,
  isCaseFileName,
  newCase,
  newCaseId,
  newEvidenceId,
  parseCase,
  readCaseText,
  removeCase,
  serializeCase,
  writeCase,
} from './caseFile';
export { listCases } from './folder';
export type { CaseListing, LoadedCase } from './folder';
export { checkEvidence, evidenceArticlePath, EvidenceSource, evidenceProblem } from './evidence';
export type { EvidenceProblem } from './evidence';
export { DEFAULT_CASES_FOLDER, normaliseCasesFolder } from '../corpus';
export { caseConflictName, mergeCases } from './merge';
export type { CaseMergeResult } from './merge';
export { runCaseMergeDriver } from './gitDriver';
export type { CaseDriverFiles, CaseDriverOutcome } from './gitDriver';
export { addEvidence, draftFromChain, perArticleValues, rankCases, relationChain } from './fromAnnotation';
export type { CaseDraft, Chain, ChainRelation, ChainSpan, LikelyCase } from './fromAnnotation';
export { minHash, profileArticle, rankSameCase, similarity, SIGNATURE_SIZE } from './similar';
export type { ArticleProfile, ProfileSpan, SameCaseCandidate } from './similar';
export { CaseHistory, caseArticles, caseEditorRows, isUnchanged, setCaseField, takeArticleValue } from './edit';
export type { ArticleValue, CaseChange, CaseStep, FieldRow } from './edit';
export { fieldClashes, joinCases } from './join';
export type { FieldClash, JoinChoice } from './join';
