// 院长信箱与职工诉求: staff write (named or anonymous, with a claim code shown once), follow their
// letters; handlers answer in the inbox; the administrator sees the statistics there.
import { InboxOutlined, MailOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'mailbox',
  app: 'mailbox',
  routes: [
    route('/mailbox', () => import('./MailboxPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'mailbox.menu', icon: <MailOutlined />, order: 11 },
    }),
    route('/mailbox/inbox', () => import('./InboxPage'), {
      workspace: 'tenant',
      permissionWithin: 'mailbox.handle',
      menu: { group: 'workbench', labelKey: 'mailbox.inboxMenu', icon: <InboxOutlined />, order: 12 },
    }),
    route('/mailbox/letters/:id', () => import('./LetterPage'), { workspace: 'tenant' }),
  ],
});
