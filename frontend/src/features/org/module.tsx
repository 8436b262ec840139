import { TeamOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

export default defineModule({
  key: 'org',
  routes: [
    // Everyone may look people up; the page offers import and the staff steps to managers only.
    route('/org', () => import('./OrganisationPage'), {
      workspace: 'tenant',
      menu: { group: 'manage', labelKey: 'menu.org', icon: <TeamOutlined />, order: 10 },
    }),
  ],
});
