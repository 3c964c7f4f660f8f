import { describe, expect, it } from 'vitest';
import { dbErrorToAppError, isDatabaseUnavailable } from './db-errors.ts';

const coded = (code: string, cause?: unknown) => Object.assign(new Error(code), { code, cause });
/** As drizzle wraps a driver error. */
const wrapped = (cause: unknown) => Object.assign(new Error('Failed query: select 1'), { cause });

describe('database errors as API errors', () => {
  it('a lost or refused connection, and a server going away, are 503 DATABASE_UNAVAILABLE, wrapped or not', () => {
    for (const code of ['ECONNREFUSED', 'CONNECTION_CLOSED', 'CONNECTION_ENDED', 'CONNECTION_DESTROYED', 'CONNECT_TIMEOUT', 'ECONNRESET', '57P01', '57P03', '08006']) {
      expect(isDatabaseUnavailable(coded(code)), code).toBe(true);
      expect(dbErrorToAppError(wrapped(coded(code)))?.code, code).toBe('DATABASE_UNAVAILABLE');
      expect(dbErrorToAppError(wrapped(coded(code)))?.status, code).toBe(503);
    }
    // net's AggregateError when every address of the host refuses
    expect(isDatabaseUnavailable(Object.assign(new AggregateError([coded('ECONNREFUSED')]), { code: undefined }))).toBe(true);
  });

  it('U+0000 refused by PostgreSQL is 400 INVALID_CHARACTER; other errors are not mapped', () => {
    expect(dbErrorToAppError(wrapped(coded('22021')))?.code).toBe('INVALID_CHARACTER');
    expect(dbErrorToAppError(wrapped(coded('22P05')))?.status).toBe(400);
    for (const code of ['23505', '42P01', '40001']) expect(dbErrorToAppError(wrapped(coded(code))), code).toBeUndefined();
    expect(dbErrorToAppError(new Error('boom'))).toBeUndefined();
  });
});
