// Live supervision changes: the server announces every committed change of a unit's report that
// the reader may see (`supervisionChanged`); a page re-reads what it shows when one concerns it.
import { useSubscription } from 'urql';
import type { SupervisionChangedSubscription as Change } from '../../gql/graphql';
import { SupervisionChangedSubscription } from './operations';

export type SupervisionChange = Change['supervisionChanged'];

/** Calls `onChange` for each change `concerns` accepts; returns how many arrived (for tests). */
export function useSupervisionChanges(concerns: (change: SupervisionChange) => boolean, onChange: () => void): number {
  const [live] = useSubscription<Change, number>({ query: SupervisionChangedSubscription }, (count = 0, event) => {
    if (concerns(event.supervisionChanged)) onChange();
    return count + 1;
  });
  return live.data ?? 0;
}
