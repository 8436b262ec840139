// 排班: my shifts (everyone, phone first) and the department grid (schedulers edit, members read
// what is published).
import { ScheduleOutlined, TableOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'rosters',
  app: 'rosters',
  routes: [
    route('/rosters/mine', () => import('./MyShiftsPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'rosters.menu', icon: <ScheduleOutlined />, order: 10 },
    }),
    route('/rosters', () => import('./RosterPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'rosters.gridMenu', icon: <TableOutlined />, order: 11 },
    }),
  ],
});
