// What decides whether a menu entry shows, beyond its workspace: the supervision pages show to
// readers with a supervision scope there, the entry page to those who may report for some unit
// (in a tenant, only where the app is installed: the fields answer APP_NOT_INSTALLED otherwise
// and the entries stay hidden).
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { SupervisionScopeQuery } from '../features/supervision/scope';
import { EntryUnitsQuery } from '../features/supervision/EntryOperations';

export interface MenuAccess {
  supervision: boolean;
  supervisionApprove: boolean;
  supervisionReport: boolean;
}

export function useMenuAccess(): MenuAccess {
  const [result] = useQuery({ query: SupervisionScopeQuery });
  const [units] = useQuery({ query: EntryUnitsQuery });
  const scope = result.data?.supervisionScope;
  const supervision = !!scope?.nodes.length;
  const supervisionApprove = supervision && !!scope?.canApprove;
  const supervisionReport = (units.data?.supervisionReportingUnits.length ?? 0) > 0;
  return useMemo(
    () => ({ supervision, supervisionApprove, supervisionReport }),
    [supervision, supervisionApprove, supervisionReport],
  );
}
