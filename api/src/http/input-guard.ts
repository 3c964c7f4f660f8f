/**
 * Text PostgreSQL cannot store. A NUL character (U+0000) is valid JSON and a
 * valid URL escape (%00), but neither `text` nor `jsonb` accepts it: left
 * alone it reaches the database and fails there (22021 / 22P05) as a 500.
 * The app's validator hook refuses validated input holding it with 400
 * INVALID_CHARACTER (see app.ts), and `dbErrorToAppError` maps the database's
 * own refusal of anything that got past to the same answer.
 */
import { AppError } from './errors.ts';

const targets: Record<string, [string, string]> = {
  json: ['请求正文', 'body'],
  query: ['查询参数', 'query'],
  param: ['路径参数', 'path'],
  form: ['表单', 'form'],
  header: ['请求头', 'header'],
};

export function invalidCharacter(target: string): AppError {
  const [zh, en] = targets[target] ?? ['请求', 'request'];
  return new AppError(400, 'INVALID_CHARACTER', `${zh}含有不允许的字符（U+0000）`, `the ${en} contains a character that is not allowed (U+0000)`, [
    { path: en, code: 'NUL_CHARACTER', message: '不允许 U+0000 字符', messageEn: 'U+0000 is not allowed' },
  ]);
}

/** Whether a parsed value holds U+0000 in any string or key. */
export function hasNul(value: unknown, depth = 0): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (depth > 64 || value === null || typeof value !== 'object') return false;
  if (Array.isArray(value)) return value.some((v) => hasNul(v, depth + 1));
  if (value instanceof Blob) return false;
  return Object.entries(value).some(([k, v]) => k.includes('\u0000') || hasNul(v, depth + 1));
}
