// The learning centre's pages: my exams and taking one (phone first), courses and the lesson
// player, my credits, the daily quiz and campaign leaderboards; for managers, building a random
// paper and assigning it, the live completion by department, and item analysis.
import { BookOutlined, FireOutlined, ReadOutlined, SolutionOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'learning',
  app: 'learning',
  routes: [
    route('/learning', () => import('./MyExamsPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'learning.menu', icon: <ReadOutlined />, order: 8 },
    }),
    route('/learning/courses', () => import('./CoursesPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'learning.coursesMenu', icon: <BookOutlined />, order: 9 },
    }),
    route('/learning/courses/:id', () => import('./CoursePage'), { workspace: 'tenant' }),
    route('/learning/credits', () => import('./CreditsPage'), { workspace: 'tenant' }),
    route('/learning/quiz', () => import('./QuizPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'learning.quizMenu', icon: <FireOutlined />, order: 10 },
    }),
    route('/learning/exams/:id', () => import('./ExamPage'), { workspace: 'tenant' }),
    route('/learning/exams/:id/analysis', () => import('./ItemAnalysisPage'), { workspace: 'tenant', permission: 'learning.manage' }),
    route('/learning/admin', () => import('./AdminPage'), {
      workspace: 'tenant',
      permission: 'learning.manage',
      menu: { group: 'manage', labelKey: 'learning.adminMenu', icon: <SolutionOutlined />, order: 65 },
    }),
    route('/learning/assignments/:id', () => import('./CompletionPage'), { workspace: 'tenant', permission: 'learning.manage' }),
  ],
});
