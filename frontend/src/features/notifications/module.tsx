import { HomeOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

export default defineModule({
  key: 'notifications',
  routes: [
    route('/', () => import('./WorkbenchPage'), {
      workspace: 'any',
      menu: { group: 'workbench', labelKey: 'menu.home', icon: <HomeOutlined />, order: 10 },
    }),
  ],
});
