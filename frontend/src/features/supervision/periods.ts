// The API's periods: a month "2026-03", a quarter "2026Q1" or a year "2026".
export type PeriodKind = 'month' | 'quarter' | 'year';

const pad = (n: number) => String(n).padStart(2, '0');

export function monthLabel(year: number, month: number): string {
  return `${year}-${pad(month)}`;
}

/** The month before the current one: the latest a unit can have reported. */
export function lastMonth(now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth() - 1, 1);
  return monthLabel(d.getFullYear(), d.getMonth() + 1);
}

export function kindOf(period: string): PeriodKind {
  if (/^\d{4}-\d{2}$/.test(period)) return 'month';
  if (/^\d{4}Q[1-4]$/.test(period)) return 'quarter';
  return 'year';
}

export function yearOf(period: string): number {
  return Number(period.slice(0, 4));
}

/** The first and last months of a period. */
export function monthsOf(period: string): [string, string] {
  const year = yearOf(period);
  const kind = kindOf(period);
  if (kind === 'month') return [period, period];
  if (kind === 'quarter') {
    const q = Number(period.slice(5));
    return [monthLabel(year, 3 * q - 2), monthLabel(year, 3 * q)];
  }
  return [monthLabel(year, 1), monthLabel(year, 12)];
}

export function addMonths(month: string, n: number): string {
  const d = new Date(yearOf(month), Number(month.slice(5, 7)) - 1 + n, 1);
  return monthLabel(d.getFullYear(), d.getMonth() + 1);
}

/** The same time as `period`, said as a period of another kind (its last month's quarter or year). */
export function asKind(period: string, kind: PeriodKind): string {
  const last = monthsOf(period)[1];
  const year = yearOf(last);
  const month = Number(last.slice(5, 7));
  if (kind === 'month') return last;
  if (kind === 'quarter') return `${year}Q${Math.ceil(month / 3)}`;
  return String(year);
}

/** The last period of a kind that has ended: last month, last quarter or last year. */
export function lastPeriod(kind: PeriodKind, now: Date = new Date()): string {
  if (kind === 'year') return String(now.getFullYear() - 1);
  const month = lastMonth(now);
  if (kind === 'month') return month;
  const quarterStart = 3 * Math.floor(now.getMonth() / 3); // months are 0-based here
  return asKind(lastMonth(new Date(now.getFullYear(), quarterStart, 1)), 'quarter');
}

/** Normalises a period from the address bar (anything else: the last ended period of the first kind). */
export function validPeriod(text: string | null, kinds: PeriodKind[]): string {
  if (text && /^(\d{4})(-(0[1-9]|1[0-2])|Q[1-4])?$/.test(text) && kinds.includes(kindOf(text))) return text;
  return lastPeriod(kinds[0] ?? 'month');
}
