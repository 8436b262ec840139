import { useEffect, useMemo, type ReactNode } from 'react';
import { Provider } from 'urql';
import { useTranslation } from 'react-i18next';
import { createApiClient } from './client';
import { serverLanguage } from '../i18n';
import { useSession } from '../session/session';

/** A fresh client (and cache, and socket) per token, workspace and language. */
export function ApiProvider({ children }: { children: ReactNode }) {
  const { token, tenant, signOut } = useSession();
  const { i18n } = useTranslation();
  const language = serverLanguage(i18n.language);
  const api = useMemo(
    () => createApiClient({ token, tenant, language, onUnauthenticated: signOut }),
    [token, tenant, language, signOut],
  );
  useEffect(() => api.dispose, [api]);
  return <Provider value={api.client}>{children}</Provider>;
}
