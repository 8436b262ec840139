// The workbench's pages. Adding one is adding an entry here: its path, the lazily loaded page,
// which workspace it belongs to, and (optionally) where it sits in the menu. Modules landing later
// (marketplace, organisation, referrals) add their entries the same way.
import { lazy, type ComponentType, type LazyExoticComponent, type ReactNode } from 'react';
import { ApartmentOutlined, BankOutlined, HomeOutlined } from '@ant-design/icons';

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
];

export interface ShellRoute {
  path: string;
  page: LazyExoticComponent<ComponentType>;
  workspace: Workspace;
  menu?: { group: string; labelKey: string; icon: ReactNode };
}

export const SHELL_ROUTES: ShellRoute[] = [
  {
    path: '/',
    page: lazy(() => import('../features/notifications/WorkbenchPage')),
    workspace: 'any',
    menu: { group: 'workbench', labelKey: 'menu.home', icon: <HomeOutlined /> },
  },
  {
    path: '/province/hierarchy',
    page: lazy(() => import('../features/province/HierarchyPage')),
    workspace: 'province',
    menu: { group: 'province', labelKey: 'menu.hierarchy', icon: <ApartmentOutlined /> },
  },
  {
    path: '/province/tenants',
    page: lazy(() => import('../features/province/TenantsPage')),
    workspace: 'province',
    menu: { group: 'province', labelKey: 'menu.tenants', icon: <BankOutlined /> },
  },
];

export function visibleIn(route: ShellRoute, tenant: string | null): boolean {
  return route.workspace === 'any' || (route.workspace === 'province' ? tenant === null : tenant !== null);
}
