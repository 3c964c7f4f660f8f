/** Which declared fields the entry list shows as columns (the rest are on the detail page). */
import { isSimpleField } from '../fields/registry';
import type { MetaField, MetaList } from '../meta/types';

const MAX_FIELD_COLUMNS = 3;
/** Field types that make compact columns; long text, tag lists and documents stay on the detail page. */
const COLUMN_TYPES = new Set(['string', 'enum', 'money', 'number', 'date', 'boolean']);

export function columnFields(list: Pick<MetaList, 'fields'>): MetaField[] {
  return list.fields.filter((f) => isSimpleField(f) && COLUMN_TYPES.has(f.type)).slice(0, MAX_FIELD_COLUMNS);
}
