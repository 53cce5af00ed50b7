// Money, dates and times as a UK coordinator reads them. Times are stored in UTC and shown in
// UK local time.

/** 123456 pence → "£1,234.56"; negative amounts get a minus sign before the pound sign. */
export function formatPence(pence: number): string {
  const sign = pence < 0 ? '−' : '';
  const abs = Math.abs(pence);
  const pounds = Math.floor(abs / 100).toLocaleString('en-GB');
  return `${sign}£${pounds}.${String(abs % 100).padStart(2, '0')}`;
}

/** 123456 pence → "1234.56", for an editable field. */
export function penceToInput(pence: number | null | undefined): string {
  if (pence === null || pence === undefined) return '';
  return `${Math.floor(pence / 100)}.${String(pence % 100).padStart(2, '0')}`;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** "2026-03-31" → "31 Mar 2026". Anything else is returned as it is. */
export function ukDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** A UTC instant ("2026-11-26T11:40:00Z") in UK local time: "26 Nov 2026, 11:40". */
export function ukDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const parts = new Intl.DateTimeFormat('en-GB', {
    timeZone: 'Europe/London', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit', hour12: false,
  }).formatToParts(d);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '';
  return `${get('day')} ${get('month')} ${get('year')}, ${get('hour')}:${get('minute')}`;
}

/** A number as the indicator tables show it: up to one decimal place, thousands separated. */
export function formatValue(v: number | null | undefined, unit = ''): string {
  if (v === null || v === undefined) return '—';
  const s = v.toLocaleString('en-GB', { maximumFractionDigits: 1 });
  return unit === '%' ? `${s}%` : s;
}

/** A message from the core as a sentence: capital first letter, full stop at the end. */
export function sentence(text: string): string {
  const t = text.trim();
  if (!t) return t;
  const s = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(s) ? s : `${s}.`;
}

const DAYS = ['Sunday', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday'];
const LONG_MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** "2026-10-16" → "Friday 16 October 2026" (a calendar date, no time zone involved). */
export function longDay(iso: string | null | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso ?? '');
  if (!m) return iso ?? '';
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return `${DAYS[d.getUTCDay()]} ${Number(m[3])} ${LONG_MONTHS[Number(m[2]) - 1]} ${m[1]}`;
}

/** "2026-10-29" → "Thu 29 Oct". */
export function shortDay(iso: string | null | undefined): string {
  const long = longDay(iso);
  const m = /^(\w{3})\w* (\d+) (\w{3})/.exec(long);
  return m ? `${m[1]} ${m[2]} ${m[3]}` : long;
}

/** A meeting's start, stored as UK local time ("2026-11-12T10:00:00"): "Thursday 12 November 2026, 10:00". */
export function meetingTime(local: string | null | undefined): string {
  if (!local) return '';
  const time = /T(\d{2}:\d{2})/.exec(local)?.[1];
  return time ? `${longDay(local)}, ${time}` : longDay(local);
}

/** Days left as words: "today", "tomorrow", "in 10 days", "1 day overdue", "3 days overdue". */
export function countdown(days: number): { words: string; overdue: boolean } {
  if (days === 0) return { words: 'today', overdue: false };
  if (days === 1) return { words: 'tomorrow', overdue: false };
  if (days > 1) return { words: `in ${days} days`, overdue: false };
  const late = -days;
  return { words: `${late} day${late === 1 ? '' : 's'} overdue`, overdue: true };
}
