// What decides whether a menu entry shows, beyond its workspace: the supervision pages show to
// readers with a supervision scope there (in a tenant, only where the app is installed: the
// field answers APP_NOT_INSTALLED otherwise and the entries stay hidden).
import { useMemo } from 'react';
import { useQuery } from 'urql';
import { SupervisionScopeQuery } from '../features/supervision/scope';

export interface MenuAccess {
  supervision: boolean;
  supervisionApprove: boolean;
}

export function useMenuAccess(): MenuAccess {
  const [result] = useQuery({ query: SupervisionScopeQuery });
  const scope = result.data?.supervisionScope;
  const supervision = !!scope?.nodes.length;
  const supervisionApprove = supervision && !!scope?.canApprove;
  return useMemo(() => ({ supervision, supervisionApprove }), [supervision, supervisionApprove]);
}
