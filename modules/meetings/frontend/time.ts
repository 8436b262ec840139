// Meeting times are the province's clock (China, UTC+8), whatever the reader's device says.
const ZONE = '+08:00';

/** An ISO instant from a local day (YYYY-MM-DD) and time (HH:mm) in China's time. */
export function instant(day: string, time: string): string {
  return new Date(`${day}T${time}:00${ZONE}`).toISOString();
}

/** Minutes from `hour`:00 of `day` (China time) to the instant `iso`. */
export function minutesFrom(day: string, hour: number, iso: string): number {
  return (Date.parse(iso) - Date.parse(`${day}T${String(hour).padStart(2, '0')}:00:00${ZONE}`)) / 60000;
}

/** "14:00" of an instant in China time. */
export function hm(iso: string): string {
  return new Intl.DateTimeFormat('zh-CN', { timeZone: 'Asia/Shanghai', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/** Today in China time, YYYY-MM-DD. */
export function today(): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai' }).format(new Date());
}
