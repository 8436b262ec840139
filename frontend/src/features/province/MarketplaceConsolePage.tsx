// The marketplace as the province console sees it: every app on the shelf, built-in modules and
// external apps with their publishers; publishing an external app from its manifest document;
// mandating a built-in app for the tenants under a node, each mandate showing how many of them
// have it installed (read again every few seconds while its background job is under way).
import { useEffect, useState } from 'react';
import { Avatar, Button, Card, Col, Flex, Grid, Input, List, Progress, Row, Space, Tag, Typography } from 'antd';
import { CloudUploadOutlined, SafetyCertificateOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { MarketplaceMandateModal } from './MarketplaceMandateModal';
import { MarketplacePublishModal } from './MarketplacePublishModal';
import { useAccess } from '../../app/access';

const ConsoleAppsQuery = graphql(`
  query ConsoleApps($search: String, $first: Int) {
    apps(search: $search, first: $first) {
      totalCount
      edges {
        node {
          id
          key
          name
          nameEn
          description
          icon
          kind
          category
          version
          publisher {
            id
            name
          }
        }
      }
    }
  }
`);

const ConsoleMandatesQuery = graphql(`
  query ConsoleMandates {
    mandates {
      id
      createdAt
      tenantCount
      installedCount
      app {
        id
        key
        name
      }
      node {
        id
        name
        level
      }
      pendingTenants {
        id
        name
      }
    }
  }
`);

const POLL_MS = 3000;

export default function MarketplaceConsolePage() {
  const { t, i18n } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [search, setSearch] = useState('');
  const [apps, reexecuteApps] = useQuery({ query: ConsoleAppsQuery, variables: { search: search || null, first: 100 } });
  const [mandates, reexecuteMandates] = useQuery({ query: ConsoleMandatesQuery });
  const [modal, setModal] = useState<{ kind: 'publish' } | { kind: 'mandate'; app?: string } | null>(null);

  const rows = apps.data?.apps.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  const builtins = rows.filter((a) => a.kind === 'BUILTIN').map((a) => ({ key: a.key, name: a.name }));
  const mandateRows = mandates.data?.mandates ?? [];
  const underWay = mandateRows.some((m) => m.installedCount < m.tenantCount);
  // Publishing and mandating are done for one's own province, city or county (checked there by the server).
  const access = useAccess();
  const canPublish = access.permissionsWithin.has('marketplace.publish');
  const canMandate = access.permissionsWithin.has('marketplace.mandate');

  useEffect(() => {
    if (!underWay) return;
    const timer = window.setInterval(() => reexecuteMandates({ requestPolicy: 'network-only' }), POLL_MS);
    return () => window.clearInterval(timer);
  }, [underWay, reexecuteMandates]);

  return (
    <Row gutter={[16, 16]}>
      <Col xs={24} xl={14}>
        <Card
          title={t('consoleMarket.catalogue')}
          extra={
            canPublish && (
              <Button type="primary" icon={<CloudUploadOutlined />} onClick={() => setModal({ kind: 'publish' })} data-testid="open-publish">
                {t('consoleMarket.publishExternal')}
              </Button>
            )
          }
        >
          <Input.Search allowClear placeholder={t('market.searchPlaceholder')} onSearch={setSearch} style={{ marginBottom: 12 }} data-testid="console-app-search" />
          <QueryState
            fetching={apps.fetching}
            error={apps.error}
            hasData={!!apps.data}
            isEmpty={rows.length === 0}
            emptyText={t('market.empty')}
            onRetry={() => reexecuteApps({ requestPolicy: 'network-only' })}
          >
            <List
              // On a phone the action goes under the text, which then keeps the full width.
              itemLayout={screens.md === false ? 'vertical' : 'horizontal'}
              dataSource={rows}
              rowKey="id"
              renderItem={(app) => (
                <List.Item
                  data-testid="console-app"
                  data-app={app.key}
                  actions={
                    app.kind === 'BUILTIN' && canMandate
                      ? [
                          <Button key="mandate" size="small" icon={<SafetyCertificateOutlined />} onClick={() => setModal({ kind: 'mandate', app: app.key })} data-testid="open-mandate">
                            {t('consoleMarket.mandate')}
                          </Button>,
                        ]
                      : []
                  }
                >
                  <List.Item.Meta
                    avatar={<Avatar shape="square" style={{ background: app.kind === 'BUILTIN' ? '#1677ff' : '#13a8a8' }}>{app.icon && app.icon.length <= 2 ? app.icon : app.name.slice(0, 1)}</Avatar>}
                    title={
                      <Space wrap size={4}>
                        <Typography.Text strong>{i18n.language === 'en' && app.nameEn ? app.nameEn : app.name}</Typography.Text>
                        <Tag bordered={false} color={app.kind === 'BUILTIN' ? 'blue' : 'cyan'}>{t(`appKind.${app.kind}`)}</Tag>
                        <Tag bordered={false}>{t(`appCategory.${app.category}`)}</Tag>
                        <Tag bordered={false}>v{app.version}</Tag>
                      </Space>
                    }
                    description={
                      <>
                        <Typography.Text type="secondary" code>{app.key}</Typography.Text>{' '}
                        <Typography.Text type="secondary">{t('consoleMarket.publishedBy', { name: app.publisher?.name ?? t('consoleMarket.platform') })}</Typography.Text>
                        {app.description && <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '4px 0 0' }}>{app.description}</Typography.Paragraph>}
                      </>
                    }
                  />
                </List.Item>
              )}
            />
          </QueryState>
        </Card>
      </Col>
      <Col xs={24} xl={10}>
        <Card
          title={t('consoleMarket.mandates')}
          extra={
            canMandate && (
              <Button icon={<SafetyCertificateOutlined />} onClick={() => setModal({ kind: 'mandate' })} disabled={builtins.length === 0}>
                {t('consoleMarket.newMandate')}
              </Button>
            )
          }
        >
          <QueryState
            fetching={mandates.fetching}
            error={mandates.error}
            hasData={!!mandates.data}
            isEmpty={mandateRows.length === 0}
            emptyText={t('consoleMarket.noMandates')}
            onRetry={() => reexecuteMandates({ requestPolicy: 'network-only' })}
          >
            <List
              dataSource={mandateRows}
              rowKey="id"
              data-testid="mandates"
              renderItem={(m) => {
                const done = m.installedCount >= m.tenantCount;
                return (
                  <List.Item data-testid="mandate" data-app={m.app.key}>
                    <div style={{ width: '100%' }}>
                      <Flex justify="space-between" wrap gap={4}>
                        <Typography.Text strong>{m.app.name}</Typography.Text>
                        <Typography.Text type="secondary">{formatTime(m.createdAt)}</Typography.Text>
                      </Flex>
                      <Typography.Text type="secondary">
                        {m.node.name} <Tag bordered={false}>{t(`level.${m.node.level}`)}</Tag>
                      </Typography.Text>
                      <Progress
                        percent={m.tenantCount ? Math.round((100 * m.installedCount) / m.tenantCount) : 100}
                        status={done ? 'success' : 'active'}
                        format={() => `${m.installedCount}/${m.tenantCount}`}
                      />
                      <Typography.Text type={done ? 'success' : 'secondary'} data-testid="mandate-progress">
                        {done
                          ? t('consoleMarket.mandateDone', { count: m.tenantCount })
                          : t('consoleMarket.mandatePending', {
                              installed: m.installedCount,
                              total: m.tenantCount,
                              names: m.pendingTenants.map((p) => p.name).join('、'),
                            })}
                      </Typography.Text>
                    </div>
                  </List.Item>
                );
              }}
            />
          </QueryState>
        </Card>
      </Col>
      {modal?.kind === 'publish' && (
        <MarketplacePublishModal
          onClose={() => setModal(null)}
          onPublished={() => {
            setModal(null);
            reexecuteApps({ requestPolicy: 'network-only' });
          }}
        />
      )}
      {modal?.kind === 'mandate' && (
        <MarketplaceMandateModal
          apps={builtins}
          initialApp={modal.app}
          onClose={() => setModal(null)}
          onMandated={() => {
            setModal(null);
            reexecuteMandates({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </Row>
  );
}
