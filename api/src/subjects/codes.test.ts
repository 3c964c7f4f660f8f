import { describe, expect, it } from 'vitest';
import {
  type CodeCheck,
  checkResidentId,
  checkUnifiedSocialCreditCode,
  maskName,
  maskResidentId,
  residentIdCheckChar,
  USCC_WEIGHTS,
  usccCheckChar,
  validateSubjectCode,
} from './codes.ts';

function failure(r: CodeCheck) {
  if (r.ok) throw new Error('expected a failure');
  return r;
}

describe('checkUnifiedSocialCreditCode (GB 32100-2015)', () => {
  it('uses the weights 3^(i-1) mod 31', () => {
    expect(USCC_WEIGHTS).toEqual([1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]);
  });

  it('accepts real published codes', () => {
    // By hand for 914403001922038216: values 9 1 4 4 0 3 0 0 1 9 2 2 0 3 8 2 1 times the weights
    // = 9+3+36+108+0+78+0+0+20+261+50+26+0+72+80+60+28 = 831; 831 mod 31 = 25; 31 - 25 = 6.
    for (const code of ['914403001922038216', '9144030071526726XG', '91330100799655058B']) {
      expect(checkUnifiedSocialCreditCode(code)).toEqual({ ok: true, value: code });
    }
    expect(usccCheckChar('91440300192203821')).toBe('6');
  });

  it('accepts a generated code checked by hand', () => {
    // makeUscc(mulberry32(2026)) → 913201026612682077. By hand: 9 1 3 2 0 1 0 2 6 6 1 2 6 8 2 0 7
    // times the weights = 9+3+27+54+0+26+0+34+120+174+25+26+48+192+20+0+196 = 954;
    // 954 mod 31 = 24; 31 - 24 = 7 → '7'.
    expect(checkUnifiedSocialCreditCode('913201026612682077').ok).toBe(true);
  });

  it('maps a computed 31 to 0', () => {
    // Find a body whose sum is ≡ 0 (mod 31): then the check is 31 → '0'.
    const body = '9144030019220382';
    const ch = [...'0123456789ABCDEFGHJKLMNPQRTUWXY'].find((c) => usccCheckChar(body + c) === '0');
    expect(ch).toBeDefined();
    expect(checkUnifiedSocialCreditCode(`${body}${ch}0`).ok).toBe(true);
  });

  it('normalises: trims and upper-cases', () => {
    expect(checkUnifiedSocialCreditCode('  9144030071526726xg ')).toEqual({ ok: true, value: '9144030071526726XG' });
  });

  it('reports a wrong length', () => {
    const r = failure(checkUnifiedSocialCreditCode('91440300192203821'));
    expect(r.code).toBe('BAD_LENGTH');
    expect(r.message).toContain('18位');
    expect(r.messageEn).toContain('18 characters');
    expect(r.overridable).toBe(false);
    expect(failure(checkUnifiedSocialCreditCode('')).code).toBe('BAD_LENGTH');
  });

  it('reports characters outside the set (I O Z S V, punctuation)', () => {
    for (const bad of ['I', 'O', 'Z', 'S', 'V', '-', '中']) {
      const r = failure(checkUnifiedSocialCreditCode(`9144030019220382${bad}6`));
      expect(r.code).toBe('BAD_CHARACTER');
      expect(r.message).toContain('第17位');
      expect(r.messageEn).toContain('Character 17');
    }
  });

  it('reports a wrong check character, which may be overridden', () => {
    const r = failure(checkUnifiedSocialCreditCode('914403001922038217'));
    expect(r.code).toBe('BAD_CHECKSUM');
    expect(r.overridable).toBe(true);
    expect(r.message).toMatch(/校验码/);
    // a transposition of two characters is caught
    expect(failure(checkUnifiedSocialCreditCode('914403001922083216')).code).toBe('BAD_CHECKSUM');
  });
});

describe('checkResidentId (GB 11643-1999)', () => {
  it('accepts the example numbers of the standard', () => {
    // By hand for 11010519491231002X: 1 1 0 1 0 5 1 9 4 9 1 2 3 1 0 0 2 times 7 9 10 5 8 4 2 1 6 3 7 9 10 5 8 4 2
    // = 7+9+0+5+0+20+2+9+24+27+7+18+30+5+0+0+4 = 167; 167 mod 11 = 2 → 'X'.
    expect(checkResidentId('11010519491231002X')).toEqual({ ok: true, value: '11010519491231002X' });
    expect(checkResidentId('440524188001010014').ok).toBe(true);
    expect(residentIdCheckChar('11010519491231002')).toBe('X');
  });

  it('accepts a generated number checked by hand', () => {
    // makeResidentId(mulberry32(2026)) after one makeUscc → 44010619630123113X:
    // 28+36+0+5+0+24+2+9+36+9+0+9+20+15+8+4+6 = 211; 211 mod 11 = 2 → 'X'.
    expect(checkResidentId('44010619630123113X').ok).toBe(true);
  });

  it('normalises a lower-case x and spaces', () => {
    expect(checkResidentId(' 11010519491231002x ')).toEqual({ ok: true, value: '11010519491231002X' });
  });

  it('reports a wrong length, with a hint for old 15-digit numbers', () => {
    const r = failure(checkResidentId('110105491231002'));
    expect(r.code).toBe('BAD_LENGTH');
    expect(r.message).toContain('15位');
    expect(failure(checkResidentId('1101051949123100')).code).toBe('BAD_LENGTH');
  });

  it('reports bad characters: letters in the body, X anywhere but last', () => {
    expect(failure(checkResidentId('1101051949123100AX')).code).toBe('BAD_CHARACTER');
    const r = failure(checkResidentId('110105194912310X22'));
    expect(r.code).toBe('BAD_CHARACTER');
    expect(r.message).toContain('第16位');
    expect(failure(checkResidentId('11010519491231002Y')).code).toBe('BAD_CHARACTER');
  });

  it('reports a birth date that is not a real date', () => {
    const withCheck = (first17: string) => first17 + residentIdCheckChar(first17);
    for (const birth of ['19490231', '19491301', '19490000', '20230229', '17991231']) {
      const r = failure(checkResidentId(withCheck(`110105${birth}002`)));
      expect(r.code, birth).toBe('BAD_BIRTH_DATE');
      expect(r.overridable).toBe(false);
    }
    expect(checkResidentId(withCheck('11010520240229002')).ok).toBe(true);
    // a future birth date only with a reference day
    const future = withCheck('11010520300101002');
    expect(checkResidentId(future).ok).toBe(true);
    expect(failure(checkResidentId(future, { today: '2026-05-01' })).code).toBe('BAD_BIRTH_DATE');
  });

  it('reports a bad birth date before a bad checksum', () => {
    expect(failure(checkResidentId('110105194902310021')).code).toBe('BAD_BIRTH_DATE');
  });

  it('reports a wrong check character, which may be overridden', () => {
    const r = failure(checkResidentId('110105194912310021'));
    expect(r.code).toBe('BAD_CHECKSUM');
    expect(r.overridable).toBe(true);
    expect(r.messageEn).toMatch(/check character/);
  });
});

describe('validateSubjectCode', () => {
  it('uses the USCC for organisations and individual businesses, the ID for natural persons', () => {
    expect(validateSubjectCode('legal_person', '914403001922038216').ok).toBe(true);
    expect(validateSubjectCode('other_org', '914403001922038216').ok).toBe(true);
    expect(validateSubjectCode('individual_business', '914403001922038216').ok).toBe(true);
    expect(validateSubjectCode('natural_person', '11010519491231002X').ok).toBe(true);
    expect(failure(validateSubjectCode('natural_person', '9144030071526726XG')).code).toBe('BAD_CHARACTER');
    expect(failure(validateSubjectCode('legal_person', '11010519491231002X')).code).toBe('BAD_CHECKSUM');
  });
});

describe('maskResidentId', () => {
  it('keeps the first 6 and last 4 by default', () => {
    expect(maskResidentId('11010519491231002X')).toBe('110105********002X');
    expect(maskResidentId(' 110105194912311234 ')).toBe('110105********1234');
  });

  it('takes the configured counts', () => {
    expect(maskResidentId('11010519491231002X', 3, 2)).toBe('110*************2X');
    expect(maskResidentId('11010519491231002X', 0, 0)).toBe('*'.repeat(18));
  });

  it('masks everything when too short to keep both ends', () => {
    expect(maskResidentId('1234567890')).toBe('**********');
    expect(maskResidentId('')).toBe('');
  });
});

describe('maskName', () => {
  it('keeps the family name only', () => {
    expect(maskName('张三')).toBe('张*');
    expect(maskName('张三丰')).toBe('张**');
    expect(maskName(' 李小龙 ')).toBe('李**');
  });

  it('keeps both characters of a compound surname', () => {
    expect(maskName('欧阳修')).toBe('欧阳*');
    expect(maskName('欧阳娜娜')).toBe('欧阳**');
    expect(maskName('司马光')).toBe('司马*');
    expect(maskName('诸葛亮')).toBe('诸葛*');
    // two characters only: surname 欧, given name 阳
    expect(maskName('欧阳')).toBe('欧*');
  });

  it('handles empty and single-character input', () => {
    expect(maskName('')).toBe('');
    expect(maskName('王')).toBe('王');
  });
});
