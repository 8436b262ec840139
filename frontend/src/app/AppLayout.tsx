// The signed-in shell: a side menu on desktops, a drawer on phones; the header carries the
// workspace switcher, the unread badge, the language switch and the user menu.
import { Suspense, useCallback, useEffect, useMemo, useState } from 'react';
import { Badge, Button, Card, Drawer, Dropdown, Grid, Layout, Menu, Result, Skeleton, Spin, Typography, notification } from 'antd';
import { BellOutlined, KeyOutlined, LogoutOutlined, MenuOutlined, UserOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { Outlet, useLocation, useNavigate } from 'react-router';
import { useMutation, useQuery, useSubscription } from 'urql';
import { graphql } from '../gql';
import { errorText, topLevelCode } from '../api/errors';
import { RECONNECTED_EVENT } from '../api/client';
import { useSession } from '../session/session';
import { LanguageSwitch } from './LanguageSwitch';
import { MENU_GROUPS, ROUTES, allowed, preloadPage } from './modules';
import { WorkbenchContext, type WorkspaceOption } from './workbench';
import { TenantSwitcher } from '../features/workspace/TenantSwitcher';
import { AccessContext, useWorkspaceAccess } from './access';

// Who is signed in and their unread count, in one request: the first load's critical path.
const ShellQuery = graphql(`
  query Shell {
    unreadNotificationCount
    me {
      id
      username
      realName
      maskedMobile
      memberships {
        isPrimary
        staffNo
        tenant {
          id
          slug
          name
          status
        }
        unit {
          id
          name
        }
      }
    }
  }
`);

const UnreadCountQuery = graphql(`
  query UnreadCount {
    unreadNotificationCount
  }
`);

const NotificationReceivedSubscription = graphql(`
  subscription NotificationReceived {
    notificationReceived {
      id
      title
      body
      priority
      senderName
      createdAt
      titleEn
      bodyEn
      senderNameEn
    }
  }
`);

const SignOutMutation = graphql(`
  mutation SignOut {
    signOut {
      ok
    }
  }
`);

const TENANT_REFUSALS = new Set(['TENANT_ACCESS_DENIED', 'TENANT_NOT_FOUND', 'TENANT_SUSPENDED', 'TENANT_ARCHIVED', 'TENANT_NOT_READY']);

/** The toast's line: the sender, then the text — once, when the text already opens with the sender. */
function senderAndBody(sender: string, body: string | null | undefined, colon: string): string {
  const text = (body ?? '').slice(0, 80);
  if (!text) return sender;
  return text.startsWith(sender) ? text : `${sender}${colon}${text}`;
}

export function AppLayout() {
  const { t, i18n } = useTranslation();
  const session = useSession();
  const screens = Grid.useBreakpoint();
  const phone = !screens.md;
  const [drawerOpen, setDrawerOpen] = useState(false);
  const [collapsed, setCollapsed] = useState(false);
  const navigate = useNavigate();
  const location = useLocation();
  const [toast, toastHolder] = notification.useNotification();

  const [meResult, reexecuteMe] = useQuery({ query: ShellQuery });
  useEffect(() => preloadPage(location.pathname), [location.pathname]);
  const [inboxVersion, setInboxVersion] = useState(0);
  const inboxChanged = useCallback(() => setInboxVersion((v) => v + 1), []);
  // Re-read on its own (paused until then) whenever the inbox changes.
  const [unread, reexecuteUnread] = useQuery({ query: UnreadCountQuery, pause: true });
  useEffect(() => {
    if (inboxVersion > 0) reexecuteUnread({ requestPolicy: 'network-only' });
  }, [inboxVersion, reexecuteUnread]);
  // Messages sent while the socket was down arrive with no event: re-read the inbox.
  useEffect(() => {
    window.addEventListener(RECONNECTED_EVENT, inboxChanged);
    return () => window.removeEventListener(RECONNECTED_EVENT, inboxChanged);
  }, [inboxChanged]);

  useSubscription({ query: NotificationReceivedSubscription }, (_previous, event) => {
    const n = event.notificationReceived;
    // One event for every reader: the English texts ride along, empty where the sender gave none.
    const en = i18n.language === 'en';
    const sender = (en && n.senderNameEn) || n.senderName;
    toast.open({
      message: (en && n.titleEn) || n.title,
      description: senderAndBody(sender, (en && n.bodyEn) || n.body, t('common.colon')),
      icon: <BellOutlined style={{ color: n.priority === 'URGENT' ? '#cf1322' : '#1677ff' }} />,
      placement: phone ? 'top' : 'topRight',
      duration: n.priority === 'URGENT' ? 0 : 6,
    });
    inboxChanged();
    return event;
  });
  const [, signOutMutation] = useMutation(SignOutMutation);

  const me = meResult.data?.me ?? null;
  const workspaces = useMemo<WorkspaceOption[]>(() => {
    const seen = new Map<string, WorkspaceOption>();
    for (const m of me?.memberships ?? []) {
      if (!seen.has(m.tenant.slug)) seen.set(m.tenant.slug, { slug: m.tenant.slug, name: m.tenant.name, status: m.tenant.status });
    }
    // The province console (public schema) is open to every account; what one may do there is
    // decided by the server, per action.
    return [...seen.values(), { slug: null, name: t('workspace.province') }];
  }, [me, t]);

  // A token the server no longer accepts: back to the sign-in page.
  const code = topLevelCode(meResult.error);
  useEffect(() => {
    if (code === 'UNAUTHENTICATED' || (meResult.data && !meResult.data.me && !meResult.fetching)) session.signOut();
  }, [code, meResult.data, meResult.fetching, session]);

  const access = useWorkspaceAccess(session.tenant);
  const items = useMemo(() => {
    const entries = ROUTES.filter((r) => r.menu && allowed(r, access)).sort((a, b) => a.menu!.order - b.menu!.order);
    return MENU_GROUPS.map((g) => ({
      key: g.key,
      type: 'group' as const,
      label: t(g.labelKey),
      children: entries.filter((r) => r.menu!.group === g.key).map((r) => ({ key: r.path, icon: r.menu!.icon, label: t(r.menu!.labelKey) })),
    })).filter((g) => g.children.length);
  }, [t, access]);

  const currentName = workspaces.find((w) => w.slug === session.tenant)?.name ?? session.tenant ?? t('workspace.province');

  async function signOut() {
    await signOutMutation({});
    session.signOut();
    navigate('/login', { replace: true });
  }

  // The shell (and the page, whose code and data load meanwhile) shows while `me` is on its way;
  // only a refusal replaces it.
  if (!me && meResult.error) {
    if (code && TENANT_REFUSALS.has(code) && session.tenant) {
      return (
        <Result
          status="403"
          title={errorText(meResult.error)}
          extra={<Button type="primary" onClick={() => session.switchTenant(null)}>{t('workspace.backToProvince')}</Button>}
        />
      );
    }
    return <Result status="warning" title={t('common.loadFailed')} subTitle={errorText(meResult.error)} extra={<Button onClick={() => reexecuteMe({ requestPolicy: 'network-only' })}>{t('common.retry')}</Button>} />;
  }

  const menu = (
    <Menu
      mode="inline"
      selectedKeys={[location.pathname]}
      items={items}
      onClick={({ key }) => {
        navigate(key);
        setDrawerOpen(false);
      }}
      style={{ borderInlineEnd: 0 }}
    />
  );
  const brand = (
    // "Jianlian Workbench" is wider than the sider at this size: it may take a second line, never a cut.
    <Typography.Title level={4} style={{ margin: '16px 20px', lineHeight: 1.3, overflowWrap: 'anywhere' }} data-testid="brand">
      {t('app.name')}
    </Typography.Title>
  );

  return (
    <WorkbenchContext.Provider value={{ me, workspaces, inboxVersion, inboxChanged }}>
      <AccessContext.Provider value={access}>
      {toastHolder}
      <Layout style={{ minHeight: '100vh' }}>
        {!phone && (
          <Layout.Sider theme="light" collapsible collapsed={collapsed} onCollapse={setCollapsed} width={220} style={{ borderInlineEnd: '1px solid #f0f0f0' }}>
            {collapsed ? <div style={{ height: 64 }} /> : brand}
            {menu}
          </Layout.Sider>
        )}
        {phone && (
          <Drawer placement="left" open={drawerOpen} onClose={() => setDrawerOpen(false)} size={260} title={t('app.name')} styles={{ body: { padding: 0 } }}>
            {menu}
          </Drawer>
        )}
        <Layout>
          <Layout.Header style={{ background: '#fff', padding: phone ? '0 8px' : '0 20px', display: 'flex', alignItems: 'center', gap: 8, borderBottom: '1px solid #f0f0f0' }}>
            {phone && <Button type="text" icon={<MenuOutlined />} onClick={() => setDrawerOpen(true)} aria-label={t('app.openMenu')} data-testid="menu-button" />}
            {me ? <TenantSwitcher current={currentName} compact={phone} /> : <Spin size="small" />}
            <div style={{ flex: 1 }} />
            <Badge count={unread.data?.unreadNotificationCount ?? meResult.data?.unreadNotificationCount ?? 0} size="small" overflowCount={99}>
              <Button type="text" icon={<BellOutlined />} onClick={() => navigate('/')} aria-label={t('inbox.title')} data-testid="unread-badge" />
            </Badge>
            <LanguageSwitch />
            <Dropdown
              menu={{
                items: [
                  { key: 'who', label: me ? `${me.realName}${t('common.paren', { text: me.username })}` : '…', disabled: true },
                  { type: 'divider' },
                  { key: 'password', icon: <KeyOutlined />, label: t('menu.password'), onClick: () => navigate('/account/password') },
                  { key: 'signOut', icon: <LogoutOutlined />, label: t('app.signOut'), onClick: signOut },
                ],
              }}
            >
              <Button type="text" icon={<UserOutlined />} data-testid="user-menu">
                {!phone && me?.realName}
              </Button>
            </Dropdown>
          </Layout.Header>
          <Layout.Content style={{ padding: phone ? 8 : 20 }}>
            {/* the page's code is on its way: its outline, not a spinner on white */}
            <Suspense fallback={<Card data-testid="loading"><Skeleton active paragraph={{ rows: 4 }} /></Card>}>
              <Outlet />
            </Suspense>
          </Layout.Content>
        </Layout>
      </Layout>
      </AccessContext.Provider>
    </WorkbenchContext.Provider>
  );
}
