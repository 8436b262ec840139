// A page opens only for those the menu would show it to; anyone else (a bookmark, a link from a
// colleague) is told why instead of meeting the server's refusal inside the page.
import { Flex, Result, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAccess } from './access';
import { allowed, type ShellRoute } from './modules';

export function RouteGuard({ route }: { route: ShellRoute }) {
  const { t } = useTranslation();
  const access = useAccess();
  if (allowed(route, access)) return <route.page />;
  if (!access.known) {
    return (
      <Flex justify="center" style={{ padding: 48 }}>
        <Spin data-testid="loading" />
      </Flex>
    );
  }
  const notInstalled = !!(route.module.app && access.tenant && !access.installedApps.has(route.module.app));
  return <Result status="403" title={t(notInstalled ? 'common.appNotInstalled' : 'common.noAccess')} data-testid="no-access" />;
}
