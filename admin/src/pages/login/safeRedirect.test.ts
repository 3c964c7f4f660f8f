import { describe, expect, it } from 'vitest';
import { safeRedirect } from './LoginPage';

describe('where the login page goes afterwards', () => {
  it('follows same-site paths only', () => {
    expect(safeRedirect('/lists/x?status=draft')).toBe('/lists/x?status=draft');
    expect(safeRedirect(null)).toBe('/');
    expect(safeRedirect('https://evil.example')).toBe('/');
    expect(safeRedirect('//evil.example')).toBe('/');
    expect(safeRedirect('/login?to=/x')).toBe('/');
  });
});
