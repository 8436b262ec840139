// Who is signed in, and in which workspace: a tenant (by slug) or the province console (null).
// Both live in this browser's localStorage; the GraphQL client is rebuilt when either changes.
import { createContext, useCallback, useContext, useMemo, useState, type ReactNode } from 'react';

const TOKEN_KEY = 'jianlian.token';
const TENANT_KEY = 'jianlian.tenant';

export interface Session {
  token: string | null;
  tenant: string | null;
  signIn: (token: string, tenant: string | null) => void;
  signOut: () => void;
  switchTenant: (tenant: string | null) => void;
}

const SessionContext = createContext<Session | null>(null);

function read(key: string): string | null {
  try {
    return localStorage.getItem(key);
  } catch {
    return null;
  }
}

function write(key: string, value: string | null): void {
  if (value === null) localStorage.removeItem(key);
  else localStorage.setItem(key, value);
}

export function SessionProvider({ children }: { children: ReactNode }) {
  const [token, setToken] = useState<string | null>(() => read(TOKEN_KEY));
  const [tenant, setTenant] = useState<string | null>(() => read(TENANT_KEY));

  const signIn = useCallback((newToken: string, newTenant: string | null) => {
    write(TOKEN_KEY, newToken);
    write(TENANT_KEY, newTenant);
    setToken(newToken);
    setTenant(newTenant);
  }, []);
  const signOut = useCallback(() => {
    write(TOKEN_KEY, null);
    write(TENANT_KEY, null);
    setToken(null);
    setTenant(null);
  }, []);
  const switchTenant = useCallback((next: string | null) => {
    write(TENANT_KEY, next);
    setTenant(next);
  }, []);

  const value = useMemo(() => ({ token, tenant, signIn, signOut, switchTenant }), [token, tenant, signIn, signOut, switchTenant]);
  return <SessionContext.Provider value={value}>{children}</SessionContext.Provider>;
}

export function useSession(): Session {
  const session = useContext(SessionContext);
  if (!session) throw new Error('useSession outside SessionProvider');
  return session;
}
