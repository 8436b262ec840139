// Every feature folder's `module.tsx` and `locales/*.json`, collected at build time: the
// workbench's own features (src/features/*), the marketplace modules' frontends
// (modules/<key>/frontend/) and the test suite's sample modules (tests/sample_modules/<key>/frontend/,
// shown only where their app is installed, which only the test settings offer).
import { matchPath } from 'react-router';
import type { Access, FrontendModule, MenuGroup, ModuleRoute, Workspace } from './module';

const descriptors = import.meta.glob<FrontendModule>(
  ['../features/*/module.tsx', '../../../modules/*/frontend/module.tsx', '../../../tests/sample_modules/*/frontend/module.tsx'],
  { eager: true, import: 'default' },
);

type Texts = Record<string, unknown>;
const localeFiles = import.meta.glob<Texts>(
  ['../features/*/locales/*.json', '../../../modules/*/frontend/locales/*.json', '../../../tests/sample_modules/*/frontend/locales/*.json'],
  { eager: true, import: 'default' },
);

/** The modules in a stable order (by folder path). */
export const MODULES: FrontendModule[] = Object.keys(descriptors)
  .sort()
  .map((path) => descriptors[path]);

/** The platform's own menu groups; modules may add theirs (`menuGroups`). */
const PLATFORM_GROUPS: MenuGroup[] = [
  { key: 'workbench', labelKey: 'menu.groups.workbench', order: 10 },
  { key: 'province', labelKey: 'menu.groups.province', order: 20 },
  { key: 'manage', labelKey: 'menu.groups.manage', order: 90 },
];

export const MENU_GROUPS: MenuGroup[] = [...PLATFORM_GROUPS, ...MODULES.flatMap((m) => m.menuGroups ?? [])].sort((a, b) => a.order - b.order);

export interface ShellRoute extends ModuleRoute {
  module: FrontendModule;
}

export const ROUTES: ShellRoute[] = MODULES.flatMap((module) => module.routes.map((r) => ({ ...r, module })));

/** `platform` (the platform's texts in one language) with every folder's locales/<language>.json merged in. */
export function withModuleTranslations(language: string, platform: Texts): Texts {
  const merged: Texts = structuredClone(platform);
  for (const [path, texts] of Object.entries(localeFiles)) {
    if (path.endsWith(`/${language}.json`)) mergeTexts(merged, texts, path);
  }
  return merged;
}

function mergeTexts(into: Texts, texts: Texts, path: string, prefix = ''): void {
  for (const [key, value] of Object.entries(texts)) {
    const existing = into[key];
    if (value && typeof value === 'object' && existing && typeof existing === 'object') {
      mergeTexts(existing as Texts, value as Texts, path, `${prefix}${key}.`);
    } else if (existing === undefined) {
      into[key] = value && typeof value === 'object' ? structuredClone(value) : value;
    } else {
      // tests/test_frontend_build.py refuses this too; in the browser the first file wins
      console.error(`${path}: the text ${prefix}${key} is defined twice`);
    }
  }
}

export function visibleIn(workspace: Workspace, tenant: string | null): boolean {
  return workspace === 'any' || (workspace === 'province' ? tenant === null : tenant !== null);
}

/** Whether the reader may open `route` here: its workspace, its app (in a tenant) and its rules. */
export function allowed(route: ShellRoute, access: Access): boolean {
  if (!visibleIn(route.workspace, access.tenant)) return false;
  const gated = !!(route.module.app && access.tenant) || route.permission || route.permissionWithin || route.anyPermissionWithin || route.flag;
  if (gated && !access.known) return false;
  if (route.module.app && access.tenant && !access.installedApps.has(route.module.app)) return false;
  if (route.permission && !access.permissions.has(route.permission)) return false;
  if (route.permissionWithin && !access.permissionsWithin.has(route.permissionWithin)) return false;
  if (route.anyPermissionWithin && !route.anyPermissionWithin.some((p) => access.permissionsWithin.has(p))) return false;
  if (route.flag && !access.flags.has(route.flag)) return false;
  return true;
}

/** Begins fetching the code of the page at `pathname`, so it does not wait for the shell. */
export function preloadPage(pathname: string): void {
  const route = ROUTES.find((r) => matchPath(r.path, pathname));
  // A failed preload is retried (and its error shown) when the page itself renders.
  void route?.preload().catch(() => undefined);
}
