/**
 * The subject code of a lookup or check: a unified social credit code or a
 * resident ID number. The caller does not say which, so the code is taken as
 * valid when either validator accepts it. A code that only fails its checksum
 * is let through when a subject with exactly that code was registered under an
 * audited override (`code_valid` false): it exists, so it must be findable.
 * Everything else is refused before anything is read or logged.
 */
import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.ts';
import { subjects } from '../db/schema.ts';
import { AppError } from '../http/errors.ts';
import { checkResidentId, checkUnifiedSocialCreditCode, type CodeCheck, normaliseSubjectCode } from '../subjects/codes.ts';

const idLike = /^\d{17}[\dX]$/;

export type ParsedCode = { code: string; overridden: boolean };

function invalid(check: Extract<CodeCheck, { ok: false }>, path: string): AppError {
  return new AppError(422, 'INVALID_SUBJECT_CODE', `主体代码无效：${check.message}`, `invalid subject code: ${check.messageEn}`, [
    { path, code: check.code, message: check.message, messageEn: check.messageEn },
  ]);
}

/** Validates without touching the database: the normalised code, or the reason it is refused. */
export function checkLookupCode(
  raw: string,
): { ok: true; code: string } | { ok: false; check: Extract<CodeCheck, { ok: false }>; overridable: boolean } {
  const code = normaliseSubjectCode(raw);
  const asId = idLike.test(code) ? checkResidentId(code) : undefined;
  if (asId?.ok) return { ok: true, code: asId.value };
  const asUscc = checkUnifiedSocialCreditCode(code);
  if (asUscc.ok) return { ok: true, code: asUscc.value };
  // Report the failure of the kind the code most looks like: an ID number when
  // only its check digit is wrong, else a unified social credit code.
  const failed = asId && !asId.ok && asId.code === 'BAD_CHECKSUM' ? asId : asUscc;
  if (failed.ok) throw new Error('unreachable');
  return { ok: false, check: failed, overridable: asUscc.code === 'BAD_CHECKSUM' || (!!asId && !asId.ok && asId.code === 'BAD_CHECKSUM') };
}

/** The normalised code, or 422 INVALID_SUBJECT_CODE (nothing is logged for a refused code). */
export async function parseLookupCode(db: Db, raw: string, path = 'code'): Promise<ParsedCode> {
  const r = checkLookupCode(raw);
  if (r.ok) return { code: r.code, overridden: false };
  if (r.overridable) {
    const code = normaliseSubjectCode(raw);
    const [known] = await db.select({ codeValid: subjects.codeValid }).from(subjects).where(eq(subjects.code, code));
    if (known && !known.codeValid) return { code, overridden: true };
  }
  throw invalid(r.check, path);
}
