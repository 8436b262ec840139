// The province console: the organisation tree, the tenants, and the marketplace of the province,
// cities and counties (publishing external apps, mandating built-in ones).
import { ApartmentOutlined, BankOutlined, ShopOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

export default defineModule({
  key: 'province',
  routes: [
    route('/province/hierarchy', () => import('./HierarchyPage'), {
      workspace: 'province',
      permissionWithin: 'platform.view_hierarchy',
      menu: { group: 'province', labelKey: 'menu.hierarchy', icon: <ApartmentOutlined />, order: 10 },
    }),
    route('/province/tenants', () => import('./TenantsPage'), {
      workspace: 'province',
      permissionWithin: 'platform.manage_tenants',
      menu: { group: 'province', labelKey: 'menu.tenants', icon: <BankOutlined />, order: 20 },
    }),
    route('/province/marketplace', () => import('./MarketplaceConsolePage'), {
      workspace: 'province',
      anyPermissionWithin: ['marketplace.publish', 'marketplace.mandate'],
      menu: { group: 'province', labelKey: 'menu.provinceMarketplace', icon: <ShopOutlined />, order: 30 },
    }),
  ],
});
