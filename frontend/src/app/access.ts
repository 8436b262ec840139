// What the reader may use in this workspace, asked once by the shell: the permission codes and
// installed apps from `viewer`, plus the flags the modules' own hooks raise. The menu and the
// route guard read it; the server still checks every action on its object.
import { createContext, useContext, useEffect, useMemo, useRef } from 'react';
import { useLocation } from 'react-router';
import { useQuery } from 'urql';
import { graphql } from '../gql';
import type { Access } from './module';
import { MODULES } from './modules';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      permissions
      permissionsWithin
      installedApps
    }
  }
`);

const EMPTY: ReadonlySet<string> = new Set();

export function useWorkspaceAccess(tenant: string | null): Access {
  const [result, reexecute] = useQuery({ query: ViewerQuery });
  // An app installed or a role granted meanwhile shows on the next page one opens.
  const { pathname } = useLocation();
  const opened = useRef(pathname);
  useEffect(() => {
    if (opened.current === pathname) return; // the first page: the query above is on its way
    opened.current = pathname;
    reexecute({ requestPolicy: 'cache-and-network' });
  }, [pathname, reexecute]);
  const viewer = result.data?.viewer;
  const base = useMemo<Access>(
    () => ({
      tenant,
      permissions: viewer ? new Set(viewer.permissions) : EMPTY,
      permissionsWithin: viewer ? new Set(viewer.permissionsWithin) : EMPTY,
      installedApps: viewer ? new Set(viewer.installedApps) : EMPTY,
      flags: EMPTY,
      known: !!viewer,
    }),
    [tenant, viewer],
  );
  // The module list is fixed at build time, so these hooks run in the same order on every render.
  const raised: string[] = [];
  let answered = true;
  for (const module of MODULES) {
    const flags = module.useFlags?.(base);
    if (flags === null) answered = false;
    else if (flags) raised.push(...flags);
  }
  const key = raised.join(' ');
  const known = base.known && answered;
  return useMemo(() => ({ ...base, known, flags: key ? new Set(key.split(' ')) : EMPTY }), [base, key, known]);
}

export const AccessContext = createContext<Access | null>(null);

/** The reader's access in this workspace (inside the signed-in shell). */
export function useAccess(): Access {
  const access = useContext(AccessContext);
  if (!access) throw new Error('useAccess outside the shell');
  return access;
}
