import { AuditOutlined, FormOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

// Who may start a template is its audience, checked by the server (the list shows only those);
// designing templates needs approvals.manage.
export default defineModule({
  key: 'approvals',
  app: 'approvals',
  routes: [
    route('/approvals', () => import('./StartListPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'approvals.menu', icon: <AuditOutlined />, order: 6 },
    }),
    route('/approvals/start/:id', () => import('./StartPage'), { workspace: 'tenant' }),
    route('/approvals/instances/:id', () => import('./InstancePage'), { workspace: 'tenant' }),
    route('/approvals/designer', () => import('./DesignerPage'), {
      workspace: 'tenant',
      permissionWithin: 'approvals.manage',
      menu: { group: 'manage', labelKey: 'approvals.designerMenu', icon: <FormOutlined />, order: 60 },
    }),
  ],
});
