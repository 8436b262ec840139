// The learning centre's pages: my exams and taking one (phone first), building a random paper
// and assigning it, and the live completion by department.
import { ReadOutlined, SolutionOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'learning',
  app: 'learning',
  routes: [
    route('/learning', () => import('./MyExamsPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'learning.menu', icon: <ReadOutlined />, order: 8 },
    }),
    route('/learning/exams/:id', () => import('./ExamPage'), { workspace: 'tenant' }),
    route('/learning/admin', () => import('./AdminPage'), {
      workspace: 'tenant',
      permission: 'learning.manage',
      menu: { group: 'manage', labelKey: 'learning.adminMenu', icon: <SolutionOutlined />, order: 65 },
    }),
    route('/learning/assignments/:id', () => import('./CompletionPage'), { workspace: 'tenant', permission: 'learning.manage' }),
  ],
});
