// A status's colour on the boards and the detail (its label is referralStatus.<STATUS> in locales/).
import type { ReferralStatus } from '../../gql/graphql';

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
