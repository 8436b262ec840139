import { AppstoreOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

export default defineModule({
  key: 'marketplace',
  routes: [
    route('/marketplace', () => import('./MarketplacePage'), {
      workspace: 'tenant',
      permission: 'marketplace.manage',
      menu: { group: 'manage', labelKey: 'menu.marketplace', icon: <AppstoreOutlined />, order: 20 },
    }),
  ],
});
