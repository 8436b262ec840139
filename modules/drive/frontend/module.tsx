// 云盘: the folders I may read (by category), a folder's files with resumable upload, preview,
// versions and — for its managers — the download log.
import { CloudOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'drive',
  app: 'drive',
  routes: [
    route('/drive', () => import('./FoldersPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'drive.menu', icon: <CloudOutlined />, order: 9 },
    }),
    route('/drive/folders/:id', () => import('./FolderPage'), { workspace: 'tenant' }),
  ],
});
