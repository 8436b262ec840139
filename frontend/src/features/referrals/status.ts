import type { ReferralAction, ReferralSide, ReferralStatus } from '../../gql/graphql';

export function statusColor(status: ReferralStatus): string | undefined {
  switch (status) {
    case 'REQUESTED':
    case 'RECEIVED':
    case 'REVIEW':
      return 'blue';
    case 'ACCEPTED':
    case 'BOOKED':
    case 'ARRIVED':
      return 'green';
    case 'COMPLETED':
      return 'cyan';
    case 'REJECTED':
    case 'CANCELLED':
    case 'CLOSED':
    case 'WITHDRAWN':
      return 'default';
    case 'ON_HOLD':
      return 'orange';
    default:
      return undefined;
  }
}

/** What each side may do from each status (the server decides; this only offers the buttons). */
export function actionsFor(side: ReferralSide, status: ReferralStatus): ReferralAction[] {
  if (side === 'INCOMING') {
    if (status === 'REQUESTED' || status === 'RECEIVED') return ['ACCEPT', 'HOLD', 'REJECT'];
    if (status === 'ACCEPTED') return ['BOOK'];
    if (status === 'BOOKED') return ['ARRIVE', 'CLOSE'];
    if (status === 'ARRIVED') return ['COMPLETE'];
    return [];
  }
  if (side === 'OUTGOING') {
    if (status === 'DRAFT') return ['SUBMIT', 'CANCEL'];
    if (status === 'REQUESTED' || status === 'RECEIVED') return ['WITHDRAW'];
    if (status === 'ON_HOLD' || status === 'WITHDRAWN') return ['RESUBMIT', 'CANCEL'];
    if (status === 'BOOKED') return ['CANCEL'];
    return [];
  }
  // inside one tenant the same person may stand on either side
  return [...actionsFor('OUTGOING', status), ...actionsFor('INCOMING', status)];
}

/** Actions that need a reason, and those that need an appointment day. */
export const NEEDS_REASON: ReferralAction[] = ['REJECT', 'HOLD', 'CANCEL', 'CLOSE', 'RETURN_TO_DRAFT'];
export const NEEDS_DATE: ReferralAction[] = ['ACCEPT', 'BOOK'];
