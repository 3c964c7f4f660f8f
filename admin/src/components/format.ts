/**
 * Instants from the API shown in the platform's time zone (Asia/Shanghai by default), whatever
 * the browser's own zone, so every user reads the same clock time as the documents.
 */
export function formatInstant(value: string | null | undefined, locale: string, timeZone = 'Asia/Shanghai'): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  try {
    return new Intl.DateTimeFormat(locale === 'en' ? 'en-GB' : 'zh-CN', {
      timeZone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hour12: false,
    }).format(d);
  } catch {
    return d.toISOString();
  }
}

/** The civil date of an instant in the platform's time zone, YYYY-MM-DD. */
export function formatDay(value: string | null | undefined, timeZone = 'Asia/Shanghai'): string {
  if (!value) return '—';
  const d = new Date(value);
  if (Number.isNaN(d.getTime())) return value;
  try {
    return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(d);
  } catch {
    return d.toISOString().slice(0, 10);
  }
}
