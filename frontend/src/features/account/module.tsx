import { defineModule, route } from '../../app/module';

export default defineModule({
  key: 'account',
  // Reached from the user menu, not the side menu.
  routes: [route('/account/password', () => import('./PasswordPage'), { workspace: 'any' })],
});
