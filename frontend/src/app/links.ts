// Where a link the server wrote (a notice's or a to-do's `link`) opens in the workbench: the page
// that matches it, or the nearest page above it that exists ("/referrals/12" opens 转诊 when there
// is no page per referral). Only paths inside the workbench count: anything else (another site,
// "//host", "javascript:") opens nothing.
import { matchPath } from 'react-router';
import { ROUTES } from './modules';

export function pageForLink(link: string | null | undefined): string | null {
  if (!link || !link.startsWith('/') || link.startsWith('//') || link.startsWith('/\\')) return null;
  const bare = link.split(/[?#]/)[0];
  const asked = bare.replace(/^\/apps\//, '/');
  let path = asked;
  while (path && !ROUTES.some((r) => matchPath(r.path, path))) path = path.replace(/\/[^/]*$/, '');
  if (!path) return '/';
  return path === asked ? path + link.slice(bare.length) : path; // the query string belongs to its own page only
}
