import { SwapOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

export default defineModule({
  key: 'referrals',
  app: 'referrals',
  routes: [
    route('/referrals', () => import('./ReferralsPage'), {
      workspace: 'tenant',
      permissionWithin: 'referrals.view',
      menu: { group: 'workbench', labelKey: 'referrals.title', icon: <SwapOutlined />, order: 20 },
    }),
    route('/referrals/new', () => import('./NewReferralPage'), { workspace: 'tenant', permissionWithin: 'referrals.create' }),
  ],
});
