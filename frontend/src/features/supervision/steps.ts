// The approval steps of a unit's month, as the API names them, with their tag colours.
import type { SupervisionStep } from '../../gql/graphql';

export const STEP_COLORS: Record<SupervisionStep, string> = {
  OPEN: 'default',
  SUBMITTED: 'blue',
  COMMUNITY: 'cyan',
  COUNTY: 'geekblue',
  CITY: 'purple',
  PROVINCE: 'green',
};
