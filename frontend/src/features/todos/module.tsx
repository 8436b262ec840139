import { CheckSquareOutlined } from '@ant-design/icons';
import { defineModule, route } from '../../app/module';

// The to-do centre is the platform's (every module feeds it), so it belongs to no app.
export default defineModule({
  key: 'todos',
  routes: [
    route('/todos', () => import('./TodosPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'todos.menu', icon: <CheckSquareOutlined />, order: 5 },
    }),
  ],
});
