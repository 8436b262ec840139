// The sample module's frontend: one page and its menu entry, shown in a tenant where `notes` is
// installed to those who may write notes. The shell finds this file by itself (frontend/src/app/modules.ts).
import { EditOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'notes',
  app: 'notes',
  routes: [
    route('/notes', () => import('./NotesPage'), {
      workspace: 'tenant',
      permissionWithin: 'notes.write',
      menu: { group: 'workbench', labelKey: 'notes.menu', icon: <EditOutlined />, order: 90 },
    }),
  ],
});
