// 公告与新闻: the list by column (everyone, each sees what was published to them), the reading
// page, and the editor for column administrators (the server decides who may publish where).
import { NotificationOutlined, ProfileOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'announcements',
  app: 'announcements',
  routes: [
    route('/announcements', () => import('./ListPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'announcements.menu', icon: <NotificationOutlined />, order: 7 },
    }),
    route('/announcements/new', () => import('./EditorPage'), { workspace: 'tenant' }),
    route('/announcements/posts/:id/edit', () => import('./EditorPage'), { workspace: 'tenant' }),
    route('/announcements/posts/:id', () => import('./PostPage'), { workspace: 'tenant' }),
    route('/announcements/columns', () => import('./ColumnsPage'), {
      workspace: 'tenant',
      permissionWithin: 'announcements.manage',
      menu: { group: 'manage', labelKey: 'announcements.columnsMenu', icon: <ProfileOutlined />, order: 62 },
    }),
  ],
});
