/** Bearer tokens: random, shown once, stored only as a SHA-256 hash. The prefix tells sessions from API keys. */
import { createHash, randomBytes } from 'node:crypto';

export const sessionPrefix = 'cls_';
export const apiKeyPrefix = 'clk_';

export const newToken = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');
