// 公文: 发文 (draft, send for 核稿/会签/签发 on the approvals flow, numbered on 签发) and 收文
// (registered here or arriving from another unit, routed 拟办 → 批办 → 承办 → 传阅 → 办结).
// What a person may do on a document is the server's `availableActions`.
import { FileTextOutlined } from '@ant-design/icons';
import { defineModule, route } from '@workbench/app/module';

export default defineModule({
  key: 'documents',
  app: 'documents',
  routes: [
    route('/documents', () => import('./ListPage'), {
      workspace: 'tenant',
      menu: { group: 'workbench', labelKey: 'documents.menu', icon: <FileTextOutlined />, order: 9 },
    }),
    route('/documents/series', () => import('./SeriesPage'), { workspace: 'tenant', permission: 'documents.manage' }),
    route('/documents/outgoing/new', () => import('./DraftPage'), { workspace: 'tenant' }),
    route('/documents/outgoing/:id', () => import('./OutgoingPage'), { workspace: 'tenant' }),
    route('/documents/incoming/new', () => import('./RegisterPage'), { workspace: 'tenant' }),
    route('/documents/incoming/:id', () => import('./IncomingPage'), { workspace: 'tenant' }),
  ],
});
