export { canonicalJson, type JsonValue, toJsonValue } from './canonical.ts';
export {
  type Actor,
  type AppendedAudit,
  AUDIT_LOCK_NAMESPACE,
  appendAudit,
  type AuditHashContent,
  type AuditInput,
  auditRecordHash,
} from './chain.ts';
export { type ChainHeads, checkpointHash, type WrittenCheckpoint, writeCheckpoint } from './checkpoint.ts';
export {
  type AuditVerification,
  type BrokenAudit,
  type BrokenReason,
  type CheckpointBreak,
  type RecordBreak,
  type VerifyOptions,
  verifyAudit,
} from './verify.ts';
