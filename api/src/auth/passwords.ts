/** Password hashing (argon2id, OWASP parameters of @node-rs/argon2) and the password policy of platform.yaml. */
import { hash, verify } from '@node-rs/argon2';
import type { Platform } from '../config/schema.ts';
import { AppError } from '../http/errors.ts';

export const hashPassword = (password: string) => hash(password);

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** Verifying against this keeps a login for an unknown user as slow as one for a known user. */
let dummy: Promise<string> | undefined;
export async function burnVerify(password: string): Promise<void> {
  dummy ??= hashPassword('not-a-real-password-Aa1!');
  await verifyPassword(await dummy, password);
}

const classes = [/[a-z]/, /[A-Z]/, /[0-9]/, /[^a-zA-Z0-9]/];

/** Refuses a password that breaks the policy, with every reason. */
export async function checkPasswordPolicy(
  policy: Platform['security']['password'],
  password: string,
  previousHashes: readonly string[] = [],
): Promise<void> {
  const problems: { code: string; message: string }[] = [];
  if (password.length < policy.min_length) {
    problems.push({ code: 'TOO_SHORT', message: `密码长度至少 ${policy.min_length} 位` });
  }
  const present = classes.filter((c) => c.test(password)).length;
  if (present < policy.min_classes) {
    problems.push({ code: 'TOO_FEW_CLASSES', message: `密码须包含大写字母、小写字母、数字、特殊字符中的至少 ${policy.min_classes} 类` });
  }
  for (const old of previousHashes.slice(0, policy.history)) {
    if (await verifyPassword(old, password)) {
      problems.push({ code: 'REUSED', message: `不能使用最近 ${policy.history} 次用过的密码` });
      break;
    }
  }
  if (problems.length) {
    throw new AppError(422, 'PASSWORD_POLICY', '密码不符合安全策略', 'the password does not meet the password policy', problems);
  }
}
