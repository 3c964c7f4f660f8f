import type { MenuGroupKey } from '../meta/resources';

/** Tag colour of each list group, used wherever a list type's kind is shown. */
export const GROUP_COLOR: Record<MenuGroupKey, string> = { black: 'red', red: 'volcano', watch: 'gold', record: 'blue' };
