/**
 * Where a grant stands on a given China day: not yet in force, in force, ending within 30 days, or ended.
 * An ended grant is expired, never "expires within 30 days" (issue 23, item 4). Contracts' dates are
 * China days (the gateway's access policy reads them so), so "today" is the day in Asia/Shanghai.
 */
export type GrantState = 'notYet' | 'inForce' | 'expiring' | 'expired';

const EXPIRY_WINDOW_DAYS = 30;

/** Today's date in China, YYYY-MM-DD. */
export function chinaToday(now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'Asia/Shanghai', year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
}

export function grantState(validFrom: string, validUntil: string, today: string): GrantState {
  if (validUntil < today) return 'expired';
  if (validFrom > today) return 'notYet';
  const daysLeft = (Date.parse(validUntil) - Date.parse(today)) / 86_400_000;
  return daysLeft <= EXPIRY_WINDOW_DAYS ? 'expiring' : 'inForce';
}

/** The label key of each state, and the badge it wears (none while simply in force). */
export const STATE_LABELS = { notYet: 'notYetInForce', inForce: 'inForce', expiring: 'expiringSoon', expired: 'expiredGrant' } as const;
