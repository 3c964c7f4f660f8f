/**
 * Subject codes (主体标识) and their desensitised display.
 *
 * - Unified social credit code (统一社会信用代码, GB 32100-2015) for legal persons,
 *   other organisations and individual businesses that have one.
 * - Resident identity card number (居民身份证号码, GB 11643-1999) for natural persons.
 *
 * Validators normalise first (trim; upper-case, so a trailing `x` becomes `X`)
 * and report the first problem in the order length → characters → birth date →
 * checksum. A BAD_CHECKSUM result is the only one marked `overridable`: some
 * early codes fail the checksum in real data, and the caller may accept them
 * through an audited override; the other failures are never valid codes.
 */

export type SubjectKind = 'legal_person' | 'other_org' | 'individual_business' | 'natural_person';

export type CodeErrorCode = 'BAD_LENGTH' | 'BAD_CHARACTER' | 'BAD_CHECKSUM' | 'BAD_BIRTH_DATE';

export type CodeCheck =
  | { ok: true; /** the normalised code */ value: string }
  | {
      ok: false;
      code: CodeErrorCode;
      message: string;
      messageEn: string;
      /** true only for BAD_CHECKSUM: may be accepted through an audited override */
      overridable: boolean;
    };

function fail(code: CodeErrorCode, message: string, messageEn: string): CodeCheck {
  return { ok: false, code, message, messageEn, overridable: code === 'BAD_CHECKSUM' };
}

/** Trim and upper-case (so `x` → `X`). */
export function normaliseSubjectCode(code: string): string {
  return String(code ?? '')
    .trim()
    .toUpperCase();
}

// ------------------------------------------------------------ USCC (GB 32100-2015)

/** The 31 code characters in value order: 0-9 and A-Z without I O Z S V. */
export const USCC_CHARSET = '0123456789ABCDEFGHJKLMNPQRTUWXY';
/** Weights 3^(i-1) mod 31 for positions 1..17. */
export const USCC_WEIGHTS: readonly number[] = Array.from({ length: 17 }, (_, i) => {
  let w = 1;
  for (let k = 0; k < i; k++) w = (w * 3) % 31;
  return w;
});

const usccValue = new Map<string, number>([...USCC_CHARSET].map((c, i) => [c, i]));

/** The check character for the first 17 characters of a USCC (which must be from USCC_CHARSET). */
export function usccCheckChar(first17: string): string {
  if (first17.length !== 17) throw new RangeError('需要17位本体代码 / expected 17 characters');
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const v = usccValue.get(first17[i]!);
    if (v === undefined) throw new RangeError(`非法字符 / invalid character: ${first17[i]}`);
    sum += v * USCC_WEIGHTS[i]!;
  }
  const check = 31 - (sum % 31);
  return USCC_CHARSET[check === 31 ? 0 : check]!;
}

export function checkUnifiedSocialCreditCode(input: string): CodeCheck {
  const code = normaliseSubjectCode(input);
  const chars = [...code];
  if (chars.length !== 18) {
    return fail(
      'BAD_LENGTH',
      `统一社会信用代码应为18位，当前为${chars.length}位`,
      `A unified social credit code has 18 characters; got ${chars.length}`,
    );
  }
  for (let i = 0; i < 18; i++) {
    const c = chars[i]!;
    if (!usccValue.has(c)) {
      return fail(
        'BAD_CHARACTER',
        `第${i + 1}位字符“${c}”不合法：只能使用数字和除 I、O、Z、S、V 以外的大写字母`,
        `Character ${i + 1} ("${c}") is not allowed: use digits and capital letters except I, O, Z, S, V`,
      );
    }
  }
  if (usccCheckChar(code.slice(0, 17)) !== code[17]) {
    return fail(
      'BAD_CHECKSUM',
      '统一社会信用代码校验码不符，请核对是否录入有误',
      'The check character of the unified social credit code does not match; check for a typing error',
    );
  }
  return { ok: true, value: code };
}

// ------------------------------------------------------------ resident ID (GB 11643-1999)

export const RESIDENT_ID_WEIGHTS: readonly number[] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
const RESIDENT_ID_CHECK = '10X98765432';

/** The check character for the first 17 digits of a resident ID number. */
export function residentIdCheckChar(first17: string): string {
  if (!/^\d{17}$/.test(first17)) throw new RangeError('需要17位数字 / expected 17 digits');
  let sum = 0;
  for (let i = 0; i < 17; i++) sum += (first17.charCodeAt(i) - 48) * RESIDENT_ID_WEIGHTS[i]!;
  return RESIDENT_ID_CHECK[sum % 11]!;
}

function isRealDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
  const len = m === 2 ? (leap ? 29 : 28) : m === 4 || m === 6 || m === 9 || m === 11 ? 30 : 31;
  return d <= len;
}

export type ResidentIdOptions = {
  /** YYYY-MM-DD; when given, a birth date after it is refused. */
  today?: string;
};

export function checkResidentId(input: string, opts: ResidentIdOptions = {}): CodeCheck {
  const code = normaliseSubjectCode(input);
  const chars = [...code];
  if (chars.length !== 18) {
    const old = chars.length === 15 && /^\d{15}$/.test(code);
    return fail(
      'BAD_LENGTH',
      old
        ? '居民身份证号码应为18位；15位旧号码请换用18位号码'
        : `居民身份证号码应为18位，当前为${chars.length}位`,
      old
        ? 'A resident ID number has 18 characters; convert the old 15-digit number to the 18-digit one'
        : `A resident ID number has 18 characters; got ${chars.length}`,
    );
  }
  for (let i = 0; i < 18; i++) {
    const c = chars[i]!;
    const ok = (c >= '0' && c <= '9') || (i === 17 && c === 'X');
    if (!ok) {
      return fail(
        'BAD_CHARACTER',
        i === 17
          ? `第18位字符“${c}”不合法：只能是数字或 X`
          : `第${i + 1}位字符“${c}”不合法：前17位只能是数字`,
        i === 17
          ? `Character 18 ("${c}") is not allowed: use a digit or X`
          : `Character ${i + 1} ("${c}") is not allowed: the first 17 characters are digits`,
      );
    }
  }
  const y = Number(code.slice(6, 10));
  const m = Number(code.slice(10, 12));
  const d = Number(code.slice(12, 14));
  const birth = code.slice(6, 14);
  const birthIso = `${birth.slice(0, 4)}-${birth.slice(4, 6)}-${birth.slice(6, 8)}`;
  if (y < 1800 || !isRealDate(y, m, d) || (opts.today !== undefined && birthIso > opts.today)) {
    return fail(
      'BAD_BIRTH_DATE',
      `第7–14位出生日期“${birth}”不是有效日期`,
      `Characters 7–14 ("${birth}") are not a valid date of birth`,
    );
  }
  if (residentIdCheckChar(code.slice(0, 17)) !== code[17]) {
    return fail(
      'BAD_CHECKSUM',
      '居民身份证号码校验码不符，请核对是否录入有误',
      'The check character of the resident ID number does not match; check for a typing error',
    );
  }
  return { ok: true, value: code };
}

/** Validates a subject code for its kind: USCC for organisations and individual businesses, ID for natural persons. */
export function validateSubjectCode(kind: SubjectKind, code: string, opts: ResidentIdOptions = {}): CodeCheck {
  switch (kind) {
    case 'legal_person':
    case 'other_org':
    case 'individual_business':
      return checkUnifiedSocialCreditCode(code);
    case 'natural_person':
      return checkResidentId(code, opts);
    default: {
      const never: never = kind;
      throw new RangeError(`未知主体类别 / unknown subject kind: ${String(never)}`);
    }
  }
}

// ------------------------------------------------------------ desensitisation

/**
 * Masks the middle of an ID number: 110101********1234 with the defaults
 * (platform.personal_info.mask_id keep_first / keep_last). A value too short to
 * keep both ends is masked entirely.
 */
export function maskResidentId(id: string, keepFirst = 6, keepLast = 4): string {
  const chars = [...String(id ?? '').trim()];
  const first = Math.max(0, Math.floor(keepFirst));
  const last = Math.max(0, Math.floor(keepLast));
  if (chars.length <= first + last) return '*'.repeat(chars.length);
  return chars.slice(0, first).join('') + '*'.repeat(chars.length - first - last) + chars.slice(chars.length - last).join('');
}

/** Common two-character (compound) surnames; their holders keep both characters. */
export const COMPOUND_SURNAMES: readonly string[] = [
  '欧阳', '司马', '诸葛', '上官', '东方', '皇甫', '尉迟', '公孙', '慕容', '令狐',
  '司徒', '夏侯', '长孙', '宇文', '轩辕', '端木', '南宫', '西门', '独孤', '澹台',
  '呼延', '万俟', '闻人', '赫连', '申屠', '钟离', '百里', '东郭', '左丘', '第五',
];
const compound = new Set(COMPOUND_SURNAMES);

/** Keeps the family name only: 张三 → 张*, 张三丰 → 张**, 欧阳修 → 欧阳*, 欧阳娜娜 → 欧阳**. */
export function maskName(name: string): string {
  const chars = [...String(name ?? '').trim()];
  if (chars.length <= 1) return chars.join('');
  const keep = chars.length > 2 && compound.has(chars[0]! + chars[1]!) ? 2 : 1;
  return chars.slice(0, keep).join('') + '*'.repeat(chars.length - keep);
}
