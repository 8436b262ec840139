// 工会云: the member's phone pages (check-in, points and rank, activities, welfare) for everyone
// of a tenant where the union is installed, and the officer console for union officers (the
// server says who is one: unionMe.isOfficer), and the counselling desk for counsellors and lawyers
// (unionMe.isCounsellor). A notice about a confidential request links to /union/confidential/<pk>.
import { BarChartOutlined, CommentOutlined, HeartOutlined } from '@ant-design/icons';
import { useQuery } from 'urql';
import { defineModule, route, type Access } from '@workbench/app/module';
import { UnionMeQuery } from './operations';

function useUnionFlags(access: Access): string[] | null {
  const pause = access.tenant === null || !access.installedApps.has('union');
  const [me] = useQuery({ query: UnionMeQuery, pause });
  if (access.tenant !== null && !access.known) return null;
  if (pause) return [];
  if (!me.data && !me.error) return null;
  const flags = me.data?.unionMe.isOfficer ? ['union.officer'] : [];
  return me.data?.unionMe.isCounsellor ? [...flags, 'union.counsellor'] : flags;
}

export default defineModule({
  key: 'union',
  app: 'union',
  useFlags: useUnionFlags,
  routes: [
    route('/union', () => import('./HomePage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'union.menu', icon: <HeartOutlined />, order: 12 },
    }),
    route('/union/activities/:id', () => import('./HomePage'), { workspace: 'tenant' }),
    route('/union/confidential/:id', () => import('./ConfidentialPage'), { workspace: 'tenant' }),
    route('/union/counsel', () => import('./CounselPage'), {
      workspace: 'tenant',
      flag: 'union.counsellor',
      menu: { group: 'workbench', labelKey: 'union.help.desk', icon: <CommentOutlined />, order: 14 },
    }),
    route('/union/console', () => import('./ConsolePage'), {
      workspace: 'tenant',
      flag: 'union.officer',
      menu: { group: 'workbench', labelKey: 'union.consoleMenu', icon: <BarChartOutlined />, order: 13 },
    }),
  ],
});
