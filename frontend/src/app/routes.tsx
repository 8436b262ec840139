// The workbench's pages. Adding one is adding an entry here: its path, the lazily loaded page,
// which workspace it belongs to, and (optionally) where it sits in the menu.
import { createElement, lazy, type ComponentType, type ReactNode } from 'react';
import { matchPath } from 'react-router';
import { ApartmentOutlined, AppstoreOutlined, ShopOutlined, SwapOutlined, TeamOutlined, AuditOutlined, BankOutlined, HomeOutlined, AreaChartOutlined, CheckSquareOutlined, FormOutlined } from '@ant-design/icons';
import type { MenuAccess } from './menuAccess';

/** Which workspace a page belongs to: the province console (public schema), a tenant, or both. */
export type Workspace = 'any' | 'province' | 'tenant';

export interface MenuGroup {
  key: string;
  /** i18n key of the group's title. */
  labelKey: string;
}

export const MENU_GROUPS: MenuGroup[] = [
  { key: 'workbench', labelKey: 'menu.groups.workbench' },
  { key: 'province', labelKey: 'menu.groups.province' },
  { key: 'supervision', labelKey: 'menu.groups.supervision' },
  { key: 'manage', labelKey: 'menu.groups.manage' },
];

export interface ShellRoute {
  path: string;
  page: ComponentType;
  /** Starts loading the page's code (the shell calls it while it asks who is signed in). */
  preload: () => Promise<unknown>;
  workspace: Workspace;
  /** `shows`: beyond the workspace, whether the reader's access puts it in the menu. */
  menu?: { group: string; labelKey: string; icon: ReactNode; shows?: (access: MenuAccess) => boolean };
}

/**
 * A page whose code loads on first use. Once preloaded it renders at once: React.lazy alone
 * would still suspend for a turn, and React holds a revealed Suspense boundary back ~300 ms.
 */
function page(load: () => Promise<{ default: ComponentType }>): Pick<ShellRoute, 'page' | 'preload'> {
  let loaded: ComponentType | null = null;
  let pending: Promise<{ default: ComponentType }> | null = null;
  const preload = () =>
    (pending ??= load().then(
      (module) => {
        loaded = module.default;
        return module;
      },
      (error: unknown) => {
        pending = null; // a network hiccup: the next try loads again
        throw error;
      },
    ));
  const Lazy = lazy(preload);
  function Page() {
    return loaded ? createElement(loaded) : createElement(Lazy);
  }
  return { page: Page, preload };
}

export const SHELL_ROUTES: ShellRoute[] = [
  {
    path: '/',
    ...page(() => import('../features/notifications/WorkbenchPage')),
    workspace: 'any',
    menu: { group: 'workbench', labelKey: 'menu.home', icon: <HomeOutlined /> },
  },
  {
    path: '/province/hierarchy',
    ...page(() => import('../features/province/HierarchyPage')),
    workspace: 'province',
    menu: { group: 'province', labelKey: 'menu.hierarchy', icon: <ApartmentOutlined /> },
  },
  {
    path: '/province/tenants',
    ...page(() => import('../features/province/TenantsPage')),
    workspace: 'province',
    menu: { group: 'province', labelKey: 'menu.tenants', icon: <BankOutlined /> },
  },
  {
    path: '/province/marketplace',
    ...page(() => import('../features/province/MarketplaceConsolePage')),
    workspace: 'province',
    menu: { group: 'province', labelKey: 'menu.provinceMarketplace', icon: <ShopOutlined /> },
  },
  {
    path: '/referrals',
    ...page(() => import('../features/referrals/ReferralsPage')),
    workspace: 'tenant',
    menu: { group: 'workbench', labelKey: 'menu.referrals', icon: <SwapOutlined /> },
  },
  {
    path: '/referrals/new',
    ...page(() => import('../features/referrals/NewReferralPage')),
    workspace: 'tenant',
  },
  {
    path: '/supervision/entry',
    ...page(() => import('../features/supervision/EntryPage')),
    workspace: 'any',
    menu: { group: 'supervision', labelKey: 'menu.supervisionEntry', icon: <FormOutlined />, shows: (a) => a.supervisionReport },
  },
  {
    path: '/supervision/approval',
    ...page(() => import('../features/supervision/ApprovalPage')),
    workspace: 'any',
    menu: { group: 'supervision', labelKey: 'menu.supervisionApproval', icon: <CheckSquareOutlined />, shows: (a) => a.supervisionApprove },
  },
  {
    path: '/supervision/dashboard',
    ...page(() => import('../features/supervision/DashboardPage')),
    workspace: 'any',
    menu: { group: 'supervision', labelKey: 'menu.supervisionDashboard', icon: <AreaChartOutlined />, shows: (a) => a.supervision },
  },
  {
    path: '/org',
    ...page(() => import('../features/org/OrganisationPage')),
    workspace: 'tenant',
    menu: { group: 'manage', labelKey: 'menu.org', icon: <TeamOutlined /> },
  },
  {
    path: '/marketplace',
    ...page(() => import('../features/marketplace/MarketplacePage')),
    workspace: 'tenant',
    menu: { group: 'manage', labelKey: 'menu.marketplace', icon: <AppstoreOutlined /> },
  },
  {
    path: '/account/password',
    ...page(() => import('../features/account/PasswordPage')),
    workspace: 'any',
  },
  {
    path: '/audit',
    ...page(() => import('../features/audit/AuditPage')),
    workspace: 'any',
    menu: { group: 'manage', labelKey: 'menu.audit', icon: <AuditOutlined /> },
  },
];

export function visibleIn(route: ShellRoute, tenant: string | null): boolean {
  return route.workspace === 'any' || (route.workspace === 'province' ? tenant === null : tenant !== null);
}


/** Begins fetching the code of the page at `pathname`, so it does not wait for the shell. */
export function preloadPage(pathname: string): void {
  const route = SHELL_ROUTES.find((r) => matchPath(r.path, pathname));
  // A failed preload is retried (and its error shown) when the page itself renders.
  void route?.preload().catch(() => undefined);
}
