import { describe, expect, it } from 'vitest';
import { metaFixture } from './__fixtures__/meta';
import { metaStats } from './stats';

describe('metaStats', () => {
  it('counts departments, list types by group and measures by kind', () => {
    expect(metaStats(metaFixture)).toEqual({
      departments: 6,
      offices: 1,
      listTypes: 5,
      byGroup: { black: 2, red: 1, watch: 0, record: 2 },
      measures: 2,
      punishments: 1,
      incentives: 1,
      roles: 3,
    });
  });
});
