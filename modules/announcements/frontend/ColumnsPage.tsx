// 栏目设置 for announcements administrators: each column's administrators (who may publish
// there) and whether it takes comments and likes; new columns by key and name.
import { useState } from 'react';
import { App, Button, Card, Flex, Form, Input, Switch, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { errorText } from '@workbench/api/errors';
import { QueryState } from '@workbench/components/QueryState';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import { graphql } from '@workbench/gql';

const ColumnSettingsQuery = graphql(`
  query AnnouncementColumnSettings {
    announcementColumns {
      id
      key
      name
      commentsEnabled
      likesEnabled
      admins {
        id
        name
      }
    }
  }
`);

const SaveColumnMutation = graphql(`
  mutation SaveAnnouncementColumn($input: SaveAnnouncementColumnInput!) {
    saveAnnouncementColumn(input: $input) {
      column {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Change {
  id?: string;
  key?: string;
  name?: string;
  admins?: string[];
  commentsEnabled?: boolean;
  likesEnabled?: boolean;
}

export default function ColumnsPage() {
  const { t } = useTranslation();
  const client = useClient();
  const { message } = App.useApp();
  const [result, reexecute] = useQuery({ query: ColumnSettingsQuery, requestPolicy: 'cache-and-network' });
  const [busy, setBusy] = useState(false);
  const [form] = Form.useForm<{ key: string; name: string }>();
  const columns = result.data?.announcementColumns ?? [];

  async function save(input: Change) {
    setBusy(true);
    const r = await client.mutation(SaveColumnMutation, { input }).toPromise().finally(() => setBusy(false));
    const problem = r.error ? errorText(r.error) : (r.data?.saveAnnouncementColumn?.errors ?? []).map((e) => e.message).join(' ');
    if (problem) return void message.error(problem);
    message.success(t('announcements.saved'));
    reexecute({ requestPolicy: 'network-only' });
    return true;
  }

  return (
    <Card title={t('announcements.columnsTitle')} data-testid="announcement-columns">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <Table
          size="small"
          rowKey="id"
          pagination={false}
          scroll={{ x: 'max-content' }}
          dataSource={columns}
          columns={[
            { title: t('announcements.column'), dataIndex: 'name' },
            {
              title: t('announcements.columnAdmins'),
              key: 'admins',
              width: 320,
              render: (_v, c) => (
                <ContactPicker
                  multiple
                  value={c.admins.map((a) => a.id)}
                  onChange={(v) => void save({ id: c.id, admins: Array.isArray(v) ? v : v ? [v] : [] })}
                  data-testid={`column-admins-${c.key}`}
                />
              ),
            },
            {
              title: t('announcements.commentsEnabled'),
              key: 'comments',
              render: (_v, c) => <Switch checked={c.commentsEnabled} disabled={busy} onChange={(on) => void save({ id: c.id, commentsEnabled: on })} data-testid={`column-comments-${c.key}`} />,
            },
            {
              title: t('announcements.likesEnabled'),
              key: 'likes',
              render: (_v, c) => <Switch checked={c.likesEnabled} disabled={busy} onChange={(on) => void save({ id: c.id, likesEnabled: on })} />,
            },
          ]}
        />
        <Form form={form} layout="inline" style={{ marginTop: 16 }} onFinish={async (v) => { if (await save(v)) form.resetFields(); }}>
          <Flex gap={8} wrap>
            <Form.Item name="key" rules={[{ required: true, pattern: /^[a-z][a-z0-9_-]{0,39}$/, message: t('announcements.columnKeyHelp') }]}>
              <Input placeholder={t('announcements.columnKey')} />
            </Form.Item>
            <Form.Item name="name" rules={[{ required: true, max: 40, message: t('announcements.columnNameHelp') }]}>
              <Input placeholder={t('announcements.columnName')} />
            </Form.Item>
            <Button htmlType="submit" loading={busy}>{t('announcements.addColumn')}</Button>
          </Flex>
        </Form>
      </QueryState>
    </Card>
  );
}
