import { AuditOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

export default defineModule({
  key: 'audit',
  routes: [
    // The workspace's whole log: the permission must cover the tenant (the province on the console).
    route('/audit', () => import('./AuditPage'), {
      workspace: 'any',
      permission: 'platform.view_audit',
      menu: { group: 'manage', labelKey: 'menu.audit', icon: <AuditOutlined />, order: 30 },
    }),
  ],
});
