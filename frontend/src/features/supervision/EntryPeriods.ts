// The periods a data set is reported for, as the API writes them: "2026-03", "2026Q1", "2026".
import type { SupervisionPeriodType } from '../../gql/graphql';

const MONTHS_PER_PERIOD: Record<SupervisionPeriodType, number> = { MONTHLY: 1, QUARTERLY: 3, YEARLY: 12 };

function label(type: SupervisionPeriodType, year: number, month: number): string {
  if (type === 'YEARLY') return String(year);
  if (type === 'QUARTERLY') return `${year}Q${Math.floor(month / 3) + 1}`;
  return `${year}-${String(month + 1).padStart(2, '0')}`;
}

/** The current period and the ones before it, newest first. */
export function recentPeriods(type: SupervisionPeriodType, today = new Date(), count = 12): string[] {
  const step = MONTHS_PER_PERIOD[type];
  const out: string[] = [];
  let index = today.getFullYear() * 12 + today.getMonth();
  for (let i = 0; i < count; i++) {
    out.push(label(type, Math.floor(index / 12), index % 12));
    index -= step;
  }
  return out;
}

/** The period that ended last: what is due now, so the page opens on it. */
export function duePeriod(type: SupervisionPeriodType, today = new Date()): string {
  return recentPeriods(type, today, 2)[1];
}
