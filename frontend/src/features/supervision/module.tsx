// Supervision online: its pages show to whoever the server gives a supervision scope (the
// dashboard), may approve (the approval queue) or may report for some unit (the entry page);
// in a tenant only where the app is installed.
import { AreaChartOutlined, CheckSquareOutlined, FormOutlined } from '@ant-design/icons';
import { useQuery } from 'urql';
import { defineModule, route, type Access } from '../../app/module';
import { SupervisionScopeQuery } from './scope';
import { EntryUnitsQuery } from './EntryOperations';

function useSupervisionFlags(access: Access): string[] | null {
  // In a tenant without the app both fields would answer APP_NOT_INSTALLED: do not ask.
  const pause = access.tenant !== null && !access.installedApps.has('supervision');
  const [scope] = useQuery({ query: SupervisionScopeQuery, pause });
  const [units] = useQuery({ query: EntryUnitsQuery, pause });
  if (access.tenant !== null && !access.known) return null;
  if (pause) return [];
  if ((!scope.data && !scope.error) || (!units.data && !units.error)) return null;
  const flags: string[] = [];
  const s = scope.data?.supervisionScope;
  if (s?.nodes.length) flags.push('supervision.scope');
  if (s?.nodes.length && s.canApprove) flags.push('supervision.approve');
  if (units.data?.supervisionReportingUnits.length) flags.push('supervision.report');
  return flags;
}

export default defineModule({
  key: 'supervision',
  app: 'supervision',
  menuGroups: [{ key: 'supervision', labelKey: 'menu.groups.supervision', order: 30 }],
  useFlags: useSupervisionFlags,
  routes: [
    route('/supervision/entry', () => import('./EntryPage'), {
      workspace: 'any',
      flag: 'supervision.report',
      menu: { group: 'supervision', labelKey: 'menu.supervisionEntry', icon: <FormOutlined />, order: 10 },
    }),
    route('/supervision/approval', () => import('./ApprovalPage'), {
      workspace: 'any',
      flag: 'supervision.approve',
      menu: { group: 'supervision', labelKey: 'menu.supervisionApproval', icon: <CheckSquareOutlined />, order: 20 },
    }),
    route('/supervision/dashboard', () => import('./DashboardPage'), {
      workspace: 'any',
      flag: 'supervision.scope',
      menu: { group: 'supervision', labelKey: 'menu.supervisionDashboard', icon: <AreaChartOutlined />, order: 30 },
    }),
  ],
});
