// 工资条: my payslips (phone first: password again, then the items, confirm or ask), and the
// payroll office's page (column mapping, Excel import with per-row errors, publish, withdraw).
import { AccountBookOutlined, WalletOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'payslips',
  app: 'payslips',
  routes: [
    route('/payslips', () => import('./MyPayslipsPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'payslips.menu', icon: <WalletOutlined />, order: 9 },
    }),
    route('/payslips/admin', () => import('./AdminPage'), {
      workspace: 'tenant',
      permission: 'payslips.manage',
      menu: { group: 'manage', labelKey: 'payslips.adminMenu', icon: <AccountBookOutlined />, order: 66 },
    }),
    route('/payslips/batches/:id', () => import('./BatchPage'), { workspace: 'tenant', permission: 'payslips.manage' }),
    route('/payslips/:id', () => import('./PayslipPage'), { workspace: 'tenant' }),
  ],
});
