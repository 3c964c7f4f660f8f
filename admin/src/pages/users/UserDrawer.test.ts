import { describe, expect, it } from 'vitest';
import { generatePassword, USERNAME_PATTERN } from './UserDrawer';

describe('user form helpers', () => {
  it('generates passwords with every character class', () => {
    for (let i = 0; i < 20; i += 1) {
      const p = generatePassword();
      expect(p).toHaveLength(14);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/[0-9]/);
      expect(p).toMatch(/[^A-Za-z0-9]/);
    }
  });

  it('accepts the usernames the API accepts', () => {
    expect(USERNAME_PATTERN.test('scjg-zhangsan')).toBe(true);
    expect(USERNAME_PATTERN.test('a')).toBe(false);
    expect(USERNAME_PATTERN.test('Zhang')).toBe(false);
    expect(USERNAME_PATTERN.test('-x')).toBe(false);
  });
});
