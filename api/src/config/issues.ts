/** A problem found in the config: where it is, a stable code, and the reason in Chinese and English. */
export type ConfigIssue = {
  code: IssueCode;
  file: string;
  path: (string | number)[];
  line?: number;
  column?: number;
  message: string;
  messageEn: string;
};

export type IssueCode =
  | 'YAML_SYNTAX'
  | 'SCHEMA'
  | 'UNKNOWN_FILE'
  | 'MISSING_FILE'
  | 'MISSING_LEGAL_BASIS'
  | 'INVALID_ID'
  | 'DUPLICATE_ID'
  | 'ID_FILE_MISMATCH'
  | 'UNKNOWN_DEPARTMENT'
  | 'UNKNOWN_ROLE'
  | 'UNKNOWN_MEASURE'
  | 'UNKNOWN_FIELD'
  | 'UNKNOWN_LIST'
  | 'UNKNOWN_MATERIAL'
  | 'UNKNOWN_MATTER'
  | 'UNKNOWN_REGIME'
  | 'UNKNOWN_OPTION'
  | 'PERIOD_MIN_ABOVE_MAX'
  | 'REPAIR_WINDOW_EXCEEDS_TERM'
  | 'EXIT_AFTER_TERM'
  | 'PERSONAL_INFO_WITHOUT_BASIS'
  | 'UNREACHABLE_STATE'
  | 'DEAD_END_STATE'
  | 'ENUM_WITHOUT_OPTIONS'
  | 'SEVERITY_FIELD_MISMATCH'
  | 'DEPARTMENT_CYCLE'
  | 'OFFICE_COUNT'
  | 'WEIGHTS_NOT_TOTAL'
  | 'ROLE_CLIENT_MISMATCH'
  | 'DEMO_IN_PRODUCTION'
  // changes refused against the data in the database (safety.ts)
  | SafetyCode;

export type SafetyCode =
  | 'LIST_HAS_ENTRIES'
  | 'LIST_DEPARTMENT_CHANGED'
  | 'STATE_IN_USE'
  | 'FIELD_IN_USE'
  | 'FIELD_TYPE_CHANGED'
  | 'OPTION_IN_USE'
  | 'OPEN_OBJECTIONS'
  | 'OPEN_REPAIRS'
  | 'DEPARTMENT_IN_USE'
  | 'ROLE_IN_USE';

export function formatIssue(issue: ConfigIssue): string {
  const where = `${issue.file}${issue.line ? `:${issue.line}:${issue.column ?? 1}` : ''}`;
  const key = issue.path.length ? ` ${formatPath(issue.path)}` : '';
  return `${where}${key} — ${issue.message} [${issue.code}]`;
}

export function formatPath(path: (string | number)[]): string {
  return path.map((p, i) => (typeof p === 'number' ? `[${p}]` : i === 0 ? p : `.${p}`)).join('');
}
