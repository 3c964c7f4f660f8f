import { describe, expect, it } from 'vitest';
import { checkLookupCode } from './code.ts';
import { createRng, makeResidentId, makeUscc } from '../subjects/generate.ts';

describe('lookup codes', () => {
  const rng = createRng('lookup-code');
  it('accepts either kind of code, normalised', () => {
    const id = makeResidentId(rng);
    const uscc = makeUscc(rng);
    expect(checkLookupCode(` ${id.toLowerCase()} `)).toEqual({ ok: true, code: id });
    expect(checkLookupCode(uscc.toLowerCase())).toEqual({ ok: true, code: uscc });
  });

  it('refuses the rest, saying which checks an override could pass', () => {
    const id = makeResidentId(rng);
    const badId = `${id.slice(0, 17)}${id.endsWith('0') ? '1' : '0'}`;
    const r = checkLookupCode(badId);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.overridable).toBe(true);
    for (const bad of ['', 'abc', "' or 1=1 --", '9111010100000000OO', '%'.repeat(18)]) {
      const x = checkLookupCode(bad);
      expect(x.ok).toBe(false);
      if (!x.ok) expect(x.overridable).toBe(false);
    }
  });
});
