import type { PermissionSet } from '../authz/permissions.ts';
import type { Assignment } from '../authz/policy.ts';

/** Who is calling: a logged-in user or a business system's API key, with what they may do. */
export type Principal = {
  kind: 'user' | 'api_key';
  id: string;
  /** The Casbin subject: `u:<id>` or `k:<id>`. */
  subject: string;
  name: string;
  username?: string;
  sessionId?: string;
  assignments: readonly Assignment[];
  perms: PermissionSet;
};
