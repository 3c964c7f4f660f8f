import { describe, expect, it } from 'vitest';
import { formatDay, formatInstant } from './format';

describe('formatting instants in the platform time zone', () => {
  it('shows Beijing time whatever the browser zone', () => {
    expect(formatDay('2025-09-25T17:30:00Z')).toBe('2025-09-26');
    expect(formatInstant('2025-09-26T01:00:00Z', 'zh-CN')).toBe('2025/09/26 09:00');
    expect(formatInstant(null, 'zh-CN')).toBe('—');
    expect(formatDay('not a date')).toBe('not a date');
  });
});
