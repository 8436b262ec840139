// Roles and permissions (系统管理 → 角色与权限): each role the tenant may hand out (the platform's
// and the installed apps'), who holds it at which unit, grant with a person picker, revoke.
// The server decides what may be granted and audits each change; errors land on their fields.
import { useState } from 'react';
import { App, Button, Card, Flex, Form, List, Modal, Popconfirm, Select, Space, Tag, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { TenantRolesQuery } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { ContactPicker } from '../org/ContactPicker';

const TenantRolesDoc = graphql(`
  query TenantRoles {
    tenantRoles {
      id
      code
      name
      nameEn
      sourceKey
      sourceName
      sourceNameEn
      permissions {
        code
        label
      }
      grants {
        id
        personName
        unitName
      }
    }
    roleGrantUnits {
      id
      name
      depth
    }
  }
`);

const GrantRoleDoc = graphql(`
  mutation GrantRole($input: GrantRoleInput!) {
    grantRole(input: $input) {
      grant {
        id
        personName
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const RevokeRoleDoc = graphql(`
  mutation RevokeRole($input: RevokeRoleInput!) {
    revokeRole(input: $input) {
      ok
      errors {
        field
        code
        message
      }
    }
  }
`);

type Role = TenantRolesQuery['tenantRoles'][number];
type Unit = TenantRolesQuery['roleGrantUnits'][number];

export default function RolesPage() {
  const { t, i18n } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [result, reexecute] = useQuery({ query: TenantRolesDoc });
  const [granting, setGranting] = useState<Role | null>(null);
  const en = i18n.language === 'en';
  const roles = result.data?.tenantRoles ?? [];
  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  async function revoke(grantId: string) {
    const res = await client.mutation(RevokeRoleDoc, { input: { grant: grantId } }).toPromise();
    const problems = res.data?.revokeRole?.errors ?? [];
    if (res.error || problems.length) return message.error(res.error ? errorText(res.error) : problems.map((p) => p.message).join(' '));
    message.success(t('roles.revoked'));
    refresh();
  }

  return (
    <Card title={t('roles.title')}>
      <Typography.Paragraph type="secondary">{t('roles.intro')}</Typography.Paragraph>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={roles.length === 0} emptyText={t('roles.empty')} onRetry={refresh}>
        <List
          data-testid="role-list"
          dataSource={roles}
          renderItem={(role) => (
            <List.Item data-testid="role-item" data-role={role.code} style={{ display: 'block' }}>
              <Flex justify="space-between" align="start" gap={8} wrap>
                <Space wrap size={4}>
                  <Typography.Text strong>{en ? role.nameEn : role.name}</Typography.Text>
                  <Tag color={role.sourceKey === 'platform' ? 'default' : 'blue'}>
                    {role.sourceKey === 'platform' ? t('roles.platform') : en ? role.sourceNameEn : role.sourceName}
                  </Tag>
                </Space>
                <Button size="small" icon={<PlusOutlined />} onClick={() => setGranting(role)} data-testid="grant-role">
                  {t('roles.grant')}
                </Button>
              </Flex>
              <Typography.Paragraph type="secondary" style={{ margin: '4px 0' }} ellipsis={{ rows: 2, expandable: true, symbol: '…' }}>
                {t('roles.permissions')}：{role.permissions.map((p) => p.label).join('、')}
              </Typography.Paragraph>
              <Flex gap={4} wrap align="center" data-testid="role-holders">
                <Typography.Text type="secondary">{t('roles.holders')}：</Typography.Text>
                {role.grants.length === 0 && <Typography.Text type="secondary">{t('roles.noHolders')}</Typography.Text>}
                {role.grants.map((g) => (
                  <Popconfirm
                    key={g.id}
                    title={t('roles.revokeConfirm', { name: g.personName, unit: g.unitName, role: en ? role.nameEn : role.name })}
                    okText={t('roles.revoke')}
                    onConfirm={() => revoke(g.id)}
                  >
                    <Tooltip title={g.unitName}>
                      <Tag closable onClose={(e) => e.preventDefault()} style={{ cursor: 'pointer' }} data-testid="role-holder">
                        {g.personName}
                        <Typography.Text type="secondary" style={{ fontSize: 12 }}> · {g.unitName}</Typography.Text>
                      </Tag>
                    </Tooltip>
                  </Popconfirm>
                ))}
              </Flex>
            </List.Item>
          )}
        />
      </QueryState>
      {granting && result.data && (
        <GrantModal
          role={granting}
          units={result.data.roleGrantUnits}
          onClose={() => setGranting(null)}
          onDone={(name) => {
            message.success(t('roles.granted', { name, role: en ? granting.nameEn : granting.name }));
            setGranting(null);
            refresh();
          }}
        />
      )}
    </Card>
  );
}

interface GrantValues {
  user: string;
  unit: string;
}

function GrantModal({ role, units, onClose, onDone }: { role: Role; units: readonly Unit[]; onClose: () => void; onDone: (name: string) => void }) {
  const { t, i18n } = useTranslation();
  const client = useClient();
  const [form] = Form.useForm<GrantValues>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const required = [{ required: true, message: t('common.required') }];

  async function submit() {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setProblems([]);
    setBusy(true);
    const res = await client.mutation(GrantRoleDoc, { input: { role: role.id, user: values.user, unit: values.unit } }).toPromise().finally(() => setBusy(false));
    if (res.error) return setProblems([{ code: 'REQUEST', message: errorText(res.error) }]);
    const payload = res.data?.grantRole;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    onDone(payload?.grant?.personName ?? '');
  }

  return (
    <Modal
      open
      title={t('roles.grantTitle', { role: i18n.language === 'en' ? role.nameEn : role.name })}
      onCancel={onClose}
      onOk={submit}
      okText={t('roles.grant')}
      confirmLoading={busy}
      destroyOnHidden
    >
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" initialValues={{ unit: units[0]?.id }} data-testid="grant-form">
        <Form.Item name="user" label={t('roles.person')} rules={required}>
          <ContactPicker data-testid="grant-person" />
        </Form.Item>
        <Form.Item name="unit" label={t('roles.unit')} rules={required}>
          <Select
            showSearch={{ optionFilterProp: 'label' }}
            options={units.map((u) => ({ value: u.id, label: `${'　'.repeat(u.depth)}${u.name}` }))}
          />
        </Form.Item>
      </Form>
    </Modal>
  );
}
