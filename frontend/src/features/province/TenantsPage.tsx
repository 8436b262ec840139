// Tenants (county medical communities and standalone hospitals) and their lifecycle:
// active ⇄ suspended, and archived for good (data kept). Counts by status in a small chart.
import { lazy, Suspense, useState } from 'react';
import { App, Button, Card, Col, Flex, Form, Grid, Input, Modal, Popconfirm, Row, Segmented, Skeleton, Space, Table, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { TenantStatus, TenantsQuery as TenantsQueryResult } from '../../gql/graphql';
import { errorText } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';

// ECharts is large; it loads only when this page shows its chart.
const StatusChart = lazy(() => import('./TenantStatusChart'));

const TenantsQuery = graphql(`
  query Tenants($status: TenantStatus, $first: Int, $after: String) {
    tenants(status: $status, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          slug
          name
          kind
          status
          statusReason
          createdAt
          orgUnit {
            id
            name
          }
        }
      }
    }
  }
`);

const TenantCountsQuery = graphql(`
  query TenantCounts {
    active: tenants(status: ACTIVE, first: 1) {
      totalCount
    }
    suspended: tenants(status: SUSPENDED, first: 1) {
      totalCount
    }
    provisioning: tenants(status: PROVISIONING, first: 1) {
      totalCount
    }
    archived: tenants(status: ARCHIVED, first: 1) {
      totalCount
    }
  }
`);

const SetTenantStatusMutation = graphql(`
  mutation SetTenantStatus($input: SetTenantStatusInput!) {
    setTenantStatus(input: $input) {
      tenant {
        id
        status
        statusReason
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type TenantRow = NonNullable<NonNullable<TenantsQueryResult['tenants']['edges'][number]>['node']>;

const STATUS_COLOR: Record<TenantStatus, string> = { ACTIVE: 'green', SUSPENDED: 'orange', PROVISIONING: 'blue', ARCHIVED: 'default' };
const FILTERS = ['ALL', 'ACTIVE', 'SUSPENDED', 'PROVISIONING', 'ARCHIVED'] as const;

export default function TenantsPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [filter, setFilter] = useState<(typeof FILTERS)[number]>('ALL');
  const [first, setFirst] = useState(50);
  const status = filter === 'ALL' ? null : filter;
  const [result, reexecute] = useQuery({ query: TenantsQuery, variables: { status, first } });
  const [counts, reexecuteCounts] = useQuery({ query: TenantCountsQuery });
  const [state, setStatus] = useMutation(SetTenantStatusMutation);
  const [suspending, setSuspending] = useState<TenantRow | null>(null);
  const [reasonForm] = Form.useForm<{ reason: string }>();
  const phone = !Grid.useBreakpoint().md;

  async function change(tenant: TenantRow, next: TenantStatus, reason?: string) {
    const r = await setStatus({ input: { id: tenant.id, status: next, reason: reason ?? null } });
    const problem = r.error ? errorText(r.error) : r.data?.setTenantStatus?.errors[0]?.message;
    if (problem) {
      message.error(problem);
      return false;
    }
    message.success(t('tenants.statusChanged', { name: tenant.name, status: t(`tenantStatus.${next}`) }));
    reexecute({ requestPolicy: 'network-only' });
    reexecuteCounts({ requestPolicy: 'network-only' });
    return true;
  }

  const rows = result.data?.tenants.edges.map((e) => e?.node).filter((n): n is TenantRow => !!n) ?? [];
  const c = counts.data;
  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={16}>
        <Card title={t('tenants.title')}>
          <Segmented
            style={{ marginBottom: 12, maxWidth: '100%', overflowX: 'auto' }}
            value={filter}
            onChange={(v) => setFilter(v as (typeof FILTERS)[number])}
            options={FILTERS.map((f) => ({ value: f, label: f === 'ALL' ? t('tenants.all') : t(`tenantStatus.${f}`) }))}
          />
          <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={result.data?.tenants.totalCount === 0} emptyText={t('tenants.empty')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
            <Table<TenantRow>
              data-testid="tenants-table"
              rowKey="id"
              size="middle"
              dataSource={rows}
              pagination={false}
              columns={[
                {
                  title: t('tenants.name'),
                  key: 'name',
                  render: (_v, r) => (
                    <>
                      <Typography.Text strong>{r.name}</Typography.Text>
                      <br />
                      <Typography.Text type="secondary">{r.slug}</Typography.Text>
                    </>
                  ),
                },
                { title: t('tenants.kind'), dataIndex: 'kind', render: (k: string) => t(`tenantKind.${k}`), responsive: ['md'] },
                {
                  title: t('tenants.status'),
                  dataIndex: 'status',
                  render: (s: TenantStatus, r) => (
                    <>
                      <Tag color={STATUS_COLOR[s]} data-testid={`status-${r.slug}`}>{t(`tenantStatus.${s}`)}</Tag>
                      {r.statusReason ? (
                        <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '4px 0 0', fontSize: 12 }}>
                          {r.statusReason}
                        </Typography.Paragraph>
                      ) : null}
                    </>
                  ),
                },
                { title: t('tenants.createdAt'), dataIndex: 'createdAt', render: (v: string) => formatTime(v), responsive: ['lg'] },
                {
                  title: t('common.actions'),
                  key: 'actions',
                  render: (_v, r) => (
                    <Space size={4} wrap orientation={phone ? 'vertical' : 'horizontal'}>
                      {r.status === 'ACTIVE' && (
                        <Button size="small" onClick={() => { reasonForm.resetFields(); setSuspending(r); }} data-testid={`suspend-${r.slug}`}>
                          {t('tenants.suspend')}
                        </Button>
                      )}
                      {(r.status === 'SUSPENDED' || r.status === 'PROVISIONING') && (
                        <Button size="small" type="primary" ghost onClick={() => change(r, 'ACTIVE')} loading={state.fetching} data-testid={`activate-${r.slug}`}>
                          {t('tenants.activate')}
                        </Button>
                      )}
                      {r.status !== 'ARCHIVED' && (
                        <Popconfirm title={t('tenants.archiveConfirm', { name: r.name })} okText={t('tenants.archive')} okButtonProps={{ danger: true }} onConfirm={() => change(r, 'ARCHIVED')}>
                          <Button size="small" danger>{t('tenants.archive')}</Button>
                        </Popconfirm>
                      )}
                    </Space>
                  ),
                },
              ]}
            />
            {result.data?.tenants.pageInfo.hasNextPage && first < 100 && (
              <Flex justify="center" style={{ marginTop: 12 }}>
                <Button onClick={() => setFirst(100)}>{t('common.loadMore')}</Button>
              </Flex>
            )}
          </QueryState>
        </Card>
      </Col>
      <Col xs={24} xl={8}>
        <Card title={t('tenants.byStatus')}>
          <QueryState fetching={counts.fetching} error={counts.error} hasData={!!c} onRetry={() => reexecuteCounts({ requestPolicy: 'network-only' })}>
            {c && (
              <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 240 }} />}>
                <StatusChart
                  data={[
                    { status: 'ACTIVE', count: c.active.totalCount },
                    { status: 'SUSPENDED', count: c.suspended.totalCount },
                    { status: 'PROVISIONING', count: c.provisioning.totalCount },
                    { status: 'ARCHIVED', count: c.archived.totalCount },
                  ]}
                />
              </Suspense>
            )}
          </QueryState>
        </Card>
      </Col>
      <Modal
        open={!!suspending}
        title={t('tenants.suspendTitle', { name: suspending?.name ?? '' })}
        okText={t('tenants.suspend')}
        okButtonProps={{ danger: true }}
        confirmLoading={state.fetching}
        onCancel={() => setSuspending(null)}
        onOk={async () => {
          const { reason } = await reasonForm.validateFields();
          if (suspending && (await change(suspending, 'SUSPENDED', reason))) setSuspending(null);
        }}
        forceRender
      >
        <Form form={reasonForm} layout="vertical">
          <Form.Item name="reason" label={t('tenants.reason')} extra={t('tenants.reasonHint')} rules={[{ required: true, message: t('common.required') }]}>
            <Input.TextArea rows={2} maxLength={200} data-testid="suspend-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Row>
  );
}
