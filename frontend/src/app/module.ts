// What a feature folder declares about itself: its pages, where they sit in the menu, who sees
// them and which app they belong to. Each folder's `module.tsx` default-exports one
// `defineModule({...})`; the shell collects them (app/modules.ts) — no central list to edit.
// How to write one: docs/modules-frontend.md.
import { createElement, lazy, type ComponentType, type ReactNode } from 'react';

/** Which workspace a page belongs to: the province console (public schema), a tenant, or both. */
export type Workspace = 'any' | 'province' | 'tenant';

/** What the shell knows about the reader in the current workspace (from `viewer`). */
export interface Access {
  /** The current tenant's slug; null on the province console. */
  tenant: string | null;
  /** Permission codes held over the whole workspace (at its unit or above). */
  permissions: ReadonlySet<string>;
  /** Permission codes held at some unit of the workspace (one's own centre, one's county …). */
  permissionsWithin: ReadonlySet<string>;
  /** Keys of the apps installed in this tenant (empty on the console). */
  installedApps: ReadonlySet<string>;
  /** Flags the modules' `useFlags` hooks raised, e.g. 'supervision.scope'. */
  flags: ReadonlySet<string>;
  /** False until the server (and every module's `useFlags`) has answered: nothing gated shows before. */
  known: boolean;
}

export interface MenuEntry {
  /** A platform group ('workbench', 'province', 'manage') or one the module declares. */
  group: string;
  /** i18n key of the entry's label. */
  labelKey: string;
  icon: ReactNode;
  /** Position inside the group, smaller first. */
  order: number;
}

/** Who may open a page (and so see its menu entry); every rule given must hold. */
export interface Requirement {
  /** A permission code held over the whole workspace. */
  permission?: string;
  /** A permission code held at least for a part of the workspace (one's own unit). */
  permissionWithin?: string;
  /** Any of these codes, held at least for a part of the workspace. */
  anyPermissionWithin?: string[];
  /** A flag raised by a module's `useFlags`. */
  flag?: string;
}

export interface ModuleRoute extends Requirement {
  path: string;
  page: ComponentType;
  /** Starts loading the page's code (the shell calls it while it asks who is signed in). */
  preload: () => Promise<unknown>;
  workspace: Workspace;
  menu?: MenuEntry;
}

export interface MenuGroup {
  key: string;
  labelKey: string;
  order: number;
}

export interface FrontendModule {
  /** The folder's name, for messages. */
  key: string;
  /** The marketplace app its pages belong to: in a tenant they show only where it is installed. */
  app?: string;
  routes: ModuleRoute[];
  menuGroups?: MenuGroup[];
  /**
   * A hook the shell calls on every page (keep it cheap: one cached query) that answers flags
   * which `Requirement.flag` can name — for access the server reports per module, such as
   * "has a supervision scope". Null while it is still asking.
   */
  useFlags?: (access: Access) => string[] | null;
}

export function defineModule(module: FrontendModule): FrontendModule {
  return module;
}

/** A page's route: `page` is loaded on first use (`() => import('./MyPage')`). */
export function route(
  path: string,
  load: () => Promise<{ default: ComponentType }>,
  options: Requirement & { workspace: Workspace; menu?: MenuEntry },
): ModuleRoute {
  return { path, ...lazyPage(load), ...options };
}

/**
 * A page whose code loads on first use. Once preloaded it renders at once: React.lazy alone
 * would still suspend for a turn, and React holds a revealed Suspense boundary back ~300 ms.
 */
function lazyPage(load: () => Promise<{ default: ComponentType }>): Pick<ModuleRoute, 'page' | 'preload'> {
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
