import { describe, expect, it } from 'vitest';
import { checkResidentId, checkSubjectCode, checkUscc } from './codes';

describe('subject code checks', () => {
  it('checks unified social credit codes (GB 32100-2015)', () => {
    expect(checkUscc('91350100M000100Y43')).toBeUndefined();
    expect(checkUscc('91350100m000100y43')).toBeUndefined();
    expect(checkUscc('91350100M000100Y44')).toBe('checksum');
    expect(checkUscc('91350100M000100Y4')).toBe('length');
    expect(checkUscc('91350100M000100I43')).toBe('character');
  });

  it('checks resident ID numbers (GB 11643-1999)', () => {
    expect(checkResidentId('11010519491231002X')).toBeUndefined();
    expect(checkResidentId('110105194912310021')).toBe('checksum');
    expect(checkResidentId('110105194902300027')).toBe('birthDate');
    expect(checkResidentId('11010519491231002')).toBe('length');
  });

  it('uses the check of the subject kind', () => {
    expect(checkSubjectCode('natural_person', '11010519491231002X')).toBeUndefined();
    expect(checkSubjectCode('legal_person', '11010519491231002X')).toBe('checksum');
    expect(checkSubjectCode('legal_person', '')).toBeUndefined();
  });
});
