// What every page of the signed-in shell may need: the user and their workspaces, and a version
// number that moves whenever a live event (or one's own change) makes the inbox stale.
import { createContext, useContext } from 'react';
import type { ShellQuery } from '../gql/graphql';

export type Me = NonNullable<ShellQuery['me']>;

export interface WorkspaceOption {
  slug: string | null;
  name: string;
  status?: string;
}

export interface Workbench {
  /** Null while the first answer is on its way. */
  me: Me | null;
  workspaces: WorkspaceOption[];
  inboxVersion: number;
  inboxChanged: () => void;
}

export const WorkbenchContext = createContext<Workbench | null>(null);

export function useWorkbench(): Workbench {
  const value = useContext(WorkbenchContext);
  if (!value) throw new Error('useWorkbench outside the shell');
  return value;
}
