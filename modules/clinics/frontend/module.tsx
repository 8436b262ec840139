// 门诊排班: the week's clinic sessions per department, with a 停诊/替诊 request form (the
// session's doctor or a scheduler). The lobby screen and website feed are server pages.
import { MedicineBoxOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'clinics',
  app: 'clinics',
  routes: [
    route('/clinics', () => import('./WeekPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'clinics.menu', icon: <MedicineBoxOutlined />, order: 12 },
    }),
  ],
});
