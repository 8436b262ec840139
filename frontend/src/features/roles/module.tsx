import { SafetyCertificateOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

// A tenant admin grants the roles of the platform and of the installed apps to the tenant's people.
export default defineModule({
  key: 'roles',
  routes: [
    route('/roles', () => import('./RolesPage'), {
      workspace: 'tenant',
      permission: 'platform.manage_roles',
      menu: { group: 'manage', labelKey: 'roles.menu', icon: <SafetyCertificateOutlined />, order: 15 },
    }),
  ],
});
