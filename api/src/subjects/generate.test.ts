import { describe, expect, it } from 'vitest';
import { checkResidentId, checkUnifiedSocialCreditCode, type SubjectKind, validateSubjectCode } from './codes.ts';
import {
  createRng,
  intBetween,
  makeCompanyName,
  makePersonName,
  makeResidentId,
  makeShopName,
  makeSubject,
  makeUscc,
  mulberry32,
  pick,
  REGIONS,
} from './generate.ts';

const regionCodes = new Set(REGIONS.map((r) => r.code));

describe('mulberry32', () => {
  it('is deterministic and in [0, 1)', () => {
    const a = mulberry32(1);
    const b = mulberry32(1);
    const xs = Array.from({ length: 1000 }, () => a());
    expect(Array.from({ length: 1000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(xs.slice(0, 3)).toEqual([0.6270739405881613, 0.002735721180215478, 0.5274470399599522]);
    expect(mulberry32(2)()).not.toBe(xs[0]);
  });

  it('takes string seeds', () => {
    expect(createRng('demo')()).toBe(createRng('demo')());
    expect(createRng('demo')()).not.toBe(createRng('bench')());
  });

  it('draws integers and picks within bounds', () => {
    const rng = mulberry32(7);
    const seen = new Set<number>();
    for (let i = 0; i < 1000; i++) seen.add(intBetween(rng, 3, 6));
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
    expect(() => pick(rng, [])).toThrow(RangeError);
  });
});

describe('makeUscc', () => {
  it('makes valid codes for every organisation kind', () => {
    const rng = mulberry32(42);
    for (const kind of ['legal_person', 'other_org', 'individual_business'] as const) {
      for (let i = 0; i < 1000; i++) {
        const code = makeUscc(rng, { kind });
        expect(checkUnifiedSocialCreditCode(code), code).toEqual({ ok: true, value: code });
        expect(regionCodes.has(code.slice(2, 8))).toBe(true);
        if (kind === 'individual_business') expect(code.slice(0, 2)).toBe('92');
        if (kind === 'other_org') expect(code[0]).toBe('5');
      }
    }
  });

  it('gives the organisation-code part its own GB 11714 check character', () => {
    const code = makeUscc(mulberry32(2026));
    expect(code).toBe('913201026612682077');
    // body 66126820 × 3 7 9 10 5 8 4 2 = 18+42+9+20+30+64+8+0 = 191; 191 mod 11 = 4; 11 - 4 = 7
    expect(code[16]).toBe('7');
  });

  it('uses a given region', () => {
    expect(makeUscc(mulberry32(1), { region: '640381' }).slice(2, 8)).toBe('640381');
  });
});

describe('makeResidentId', () => {
  it('makes valid numbers with real region prefixes and birth dates in range', () => {
    const rng = mulberry32(99);
    for (let i = 0; i < 3000; i++) {
      const id = makeResidentId(rng, { birthFrom: '1950-01-01', birthTo: '2008-02-29' });
      expect(checkResidentId(id), id).toEqual({ ok: true, value: id });
      expect(regionCodes.has(id.slice(0, 6))).toBe(true);
      const birth = id.slice(6, 14);
      expect(birth >= '19500101' && birth <= '20080229').toBe(true);
    }
  });

  it('honours region, sex and a one-day range', () => {
    const rng = mulberry32(5);
    for (let i = 0; i < 50; i++) {
      const m = makeResidentId(rng, { birthFrom: '2000-02-29', birthTo: '2000-02-29', region: '640381', sex: 'male' });
      expect(m.slice(0, 14)).toBe('64038120000229');
      expect(Number(m[16]) % 2).toBe(1);
      const f = makeResidentId(rng, { sex: 'female' });
      expect(Number(f[16]) % 2).toBe(0);
    }
  });

  it('refuses a reversed or malformed range', () => {
    expect(() => makeResidentId(mulberry32(1), { birthFrom: '2000-01-02', birthTo: '2000-01-01' })).toThrow(RangeError);
    expect(() => makeResidentId(mulberry32(1), { birthFrom: '2000-1-2' })).toThrow(RangeError);
  });
});

describe('names', () => {
  it('makes plausible fictional company and shop names', () => {
    const rng = mulberry32(3);
    for (let i = 0; i < 200; i++) {
      expect(makeCompanyName(rng)).toMatch(/^(示例市|样例市|演示市|模拟市|示范县|样本县)\p{Script=Han}+(有限公司|有限责任公司|股份有限公司)$/u);
      expect(makeShopName(rng)).toMatch(/^\p{Script=Han}+(店|部)$/u);
    }
  });

  it('makes person names of a surname and one or two given-name characters', () => {
    const rng = mulberry32(4);
    for (let i = 0; i < 500; i++) {
      const name = makePersonName(rng);
      expect(name).toMatch(/^\p{Script=Han}{2,4}$/u);
    }
  });
});

describe('determinism', () => {
  it('gives the same subjects for the same seed', () => {
    const batch = (seed: number) => {
      const rng = mulberry32(seed);
      const kinds: SubjectKind[] = ['legal_person', 'other_org', 'individual_business', 'natural_person'];
      return Array.from({ length: 200 }, (_, i) => makeSubject(rng, kinds[i % 4]!));
    };
    const a = batch(2026);
    expect(batch(2026)).toEqual(a);
    expect(batch(2027)).not.toEqual(a);
    for (const s of a) expect(validateSubjectCode(s.kind, s.code).ok).toBe(true);
  });

  it('pins the first outputs of a seed, so demo data stays the same across versions', () => {
    const rng = mulberry32(2026);
    expect(makeUscc(rng)).toBe('913201026612682077');
    expect(makeResidentId(rng)).toBe('44010619630123113X');
    expect(makeCompanyName(rng)).toBe('演示市兴业装饰工程有限公司');
    expect(makePersonName(rng)).toBe('吴睿');
  });
});
