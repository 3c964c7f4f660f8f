/**
 * Client-side check of subject codes, for an early hint while typing (the API decides):
 * 统一社会信用代码 (GB 32100-2015) and 居民身份证号码 (GB 11643-1999). Returns a dictionary
 * key for the problem, or undefined when the code is well-formed. Pure; tested in codes.test.ts.
 */
import type { SubjectKind } from '../meta/types';

export type CodeProblem = 'length' | 'character' | 'birthDate' | 'checksum';

const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const usccValue = new Map([...USCC_CHARSET].map((c, i) => [c, i] as const));
const ID_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const ID_CHECK = '10X98765432';

export function normaliseCode(code: string): string {
  return code.trim().toUpperCase();
}

export function checkUscc(input: string): CodeProblem | undefined {
  const code = normaliseCode(input);
  if (code.length !== 18) return 'length';
  if (![...code].every((c) => usccValue.has(c))) return 'character';
  let sum = 0;
  let weight = 1;
  for (let i = 0; i < 17; i += 1) {
    sum += (usccValue.get(code[i] ?? '') ?? 0) * weight;
    weight = (weight * 3) % 31;
  }
  const check = 31 - (sum % 31);
  return USCC_CHARSET[check === 31 ? 0 : check] === code[17] ? undefined : 'checksum';
}

export function checkResidentId(input: string): CodeProblem | undefined {
  const code = normaliseCode(input);
  if (code.length !== 18) return 'length';
  if (!/^\d{17}[\dX]$/.test(code)) return 'character';
  const y = Number(code.slice(6, 10));
  const m = Number(code.slice(10, 12));
  const d = Number(code.slice(12, 14));
  const date = new Date(Date.UTC(y, m - 1, d));
  if (y < 1900 || date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return 'birthDate';
  let sum = 0;
  for (let i = 0; i < 17; i += 1) sum += Number(code[i]) * (ID_WEIGHTS[i] ?? 0);
  return ID_CHECK[sum % 11] === code[17] ? undefined : 'checksum';
}

/** The check that applies to a subject kind: ID number for natural persons, USCC otherwise. */
export function checkSubjectCode(kind: SubjectKind | string | undefined, code: string): CodeProblem | undefined {
  if (!code.trim()) return undefined;
  return kind === 'natural_person' ? checkResidentId(code) : checkUscc(code);
}
