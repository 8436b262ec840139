// The marketplace (tenant admins): the catalog with search and categories; install, upgrade and
// uninstall as background jobs whose progress shows live; who in the unit sees each app.
import { useCallback, useState } from 'react';
import { App, Avatar, Button, Card, Col, Flex, Input, Popconfirm, Row, Segmented, Space, Tag, Typography } from 'antd';
import { CloudDownloadOutlined, DeleteOutlined, EyeOutlined, SyncOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { AppCategory, MarketAppFieldsFragment } from '../../gql/graphql';
import { errorText } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { JobProgress } from './JobProgress';
import { VisibilityModal } from './VisibilityModal';
import { ExternalInstallModal } from './ExternalInstallModal';
import { CATEGORIES } from './categories';

graphql(`
  fragment MarketAppFields on App {
    id
    key
    name
    nameEn
    displayName
    displayDescription
    description
    icon
    version
    kind
    category
    depends
    installation {
      status
      version
      mandated
      upgradeAvailable
      visibility
    }
  }
`);

const AppsQuery = graphql(`
  query MarketApps($search: String, $category: AppCategory, $first: Int) {
    apps(search: $search, category: $category, first: $first) {
      totalCount
      edges {
        node {
          ...MarketAppFields
        }
      }
    }
  }
`);


const InstallMutation = graphql(`
  mutation InstallApp($input: AppJobInput!) {
    installApp(input: $input) {
      job {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const UpgradeMutation = graphql(`
  mutation UpgradeApp($input: AppJobInput!) {
    upgradeApp(input: $input) {
      job {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const UninstallMutation = graphql(`
  mutation UninstallApp($input: UninstallAppInput!) {
    uninstallApp(input: $input) {
      job {
        id
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type MarketApp = MarketAppFieldsFragment;

export default function MarketplacePage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [search, setSearch] = useState('');
  const [category, setCategory] = useState<AppCategory | 'ALL'>('ALL');
  const [result, reexecute] = useQuery({
    query: AppsQuery,
    variables: { search: search || null, category: category === 'ALL' ? null : category, first: 100 },
  });
  // Running jobs by app key.
  const [jobs, setJobs] = useState<Record<string, string>>({});
  const [editing, setEditing] = useState<MarketApp | null>(null);
  const [consenting, setConsenting] = useState<MarketApp | null>(null);
  const [, install] = useMutation(InstallMutation);
  const [, upgrade] = useMutation(UpgradeMutation);
  const [, uninstall] = useMutation(UninstallMutation);

  async function start(app: MarketApp, action: 'install' | 'upgrade' | 'uninstall') {
    const input = { app: app.key };
    let payload: { job?: { id: string } | null; errors: readonly { message: string }[] } | null | undefined;
    if (action === 'install') {
      const result = await install({ input });
      if (result.error) return message.error(errorText(result.error));
      payload = result.data?.installApp;
    } else if (action === 'upgrade') {
      const result = await upgrade({ input });
      if (result.error) return message.error(errorText(result.error));
      payload = result.data?.upgradeApp;
    } else {
      const result = await uninstall({ input });
      if (result.error) return message.error(errorText(result.error));
      payload = result.data?.uninstallApp;
    }
    if (payload?.errors.length) return message.error(payload.errors.map((e) => e.message).join('；'));
    if (payload?.job) setJobs((j) => ({ ...j, [app.key]: payload.job!.id }));
  }

  const dismiss = useCallback((key: string) => setJobs((j) => Object.fromEntries(Object.entries(j).filter(([k]) => k !== key))), []);
  const finished = useCallback(
    (key: string, status: string) => {
      reexecute({ requestPolicy: 'network-only' });
      if (status !== 'SUCCEEDED') return; // a failure stays on its card until it is read and dismissed
      message.success(t('market.jobSucceeded'));
      window.setTimeout(() => dismiss(key), 4000);
    },
    [dismiss, message, reexecute, t],
  );

  const apps = result.data?.apps.edges.map((e) => e?.node).filter((n): n is MarketApp => !!n) ?? [];
  return (
    <Card title={t('market.title')}>
      <Flex gap={12} wrap style={{ marginBottom: 16 }}>
        <Input.Search allowClear placeholder={t('market.searchPlaceholder')} onSearch={setSearch} style={{ maxWidth: 320 }} data-testid="app-search" />
        <Segmented<AppCategory | 'ALL'>
          value={category}
          onChange={setCategory}
          options={[{ value: 'ALL', label: t('market.allCategories') }, ...CATEGORIES.map((c) => ({ value: c, label: t(`appCategory.${c}`) }))]}
          style={{ maxWidth: '100%', overflowX: 'auto' }}
        />
      </Flex>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        hasData={!!result.data}
        isEmpty={apps.length === 0}
        emptyText={t('market.empty')}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      >
        <Row gutter={[16, 16]}>
          {apps.map((app) => {
            const inst = app.installation;
            const installed = inst?.status === 'INSTALLED';
            const job = jobs[app.key];
            return (
              <Col xs={24} md={12} xl={8} key={app.id}>
                <Card size="small" data-testid="market-app" data-app={app.key} style={{ height: '100%' }}>
                  <Flex gap={12} align="start">
                    <Avatar shape="square" size={44} style={{ background: '#1677ff', flex: 'none' }}>
                      {app.icon && app.icon.length <= 2 ? app.icon : app.name.slice(0, 1)}
                    </Avatar>
                    <div style={{ minWidth: 0, flex: 1 }}>
                      <Space wrap size={4}>
                        <Typography.Text strong>{app.displayName}</Typography.Text>
                        <Tag bordered={false}>{t(`appCategory.${app.category}`)}</Tag>
                        <Tag bordered={false}>v{app.version}</Tag>
                      </Space>
                      <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ margin: '4px 0' }}>
                        {app.displayDescription}
                      </Typography.Paragraph>
                      <Space wrap size={4} data-testid="install-state">
                        {installed && <Tag color="green">{t('market.installed', { version: inst.version })}</Tag>}
                        {inst?.status === 'DISABLED' && <Tag>{t('market.disabled')}</Tag>}
                        {inst?.mandated && <Tag color="orange">{t('market.mandated')}</Tag>}
                        {inst?.upgradeAvailable && <Tag color="blue">{t('market.upgradeAvailable')}</Tag>}
                        {app.depends.length > 0 && <Typography.Text type="secondary">{t('market.depends', { apps: app.depends.join('、') })}</Typography.Text>}
                      </Space>
                    </div>
                  </Flex>
                  {job ? (
                    <div style={{ marginTop: 12 }}>
                      <JobProgress jobId={job} onFinished={(status) => finished(app.key, status)} onDismiss={() => dismiss(app.key)} />
                    </div>
                  ) : (
                    <Flex gap={8} wrap style={{ marginTop: 12 }}>
                      {!installed && (
                        <Button type="primary" size="small" icon={<CloudDownloadOutlined />} onClick={() => (app.kind === 'EXTERNAL' ? setConsenting(app) : start(app, 'install'))} data-testid="install">
                          {t('market.install')}
                        </Button>
                      )}
                      {installed && inst.upgradeAvailable && (
                        <Button size="small" icon={<SyncOutlined />} onClick={() => start(app, 'upgrade')} data-testid="upgrade">
                          {t('market.upgrade')}
                        </Button>
                      )}
                      {installed && (
                        <Button size="small" icon={<EyeOutlined />} onClick={() => setEditing(app)} data-testid="visibility">
                          {t('market.visibility')}
                        </Button>
                      )}
                      {installed && !inst.mandated && (
                        <Popconfirm title={t('market.uninstallConfirm')} description={t('market.uninstallKeepsData')} onConfirm={() => start(app, 'uninstall')}>
                          <Button size="small" danger icon={<DeleteOutlined />} data-testid="uninstall">
                            {t('market.uninstall')}
                          </Button>
                        </Popconfirm>
                      )}
                    </Flex>
                  )}
                </Card>
              </Col>
            );
          })}
        </Row>
      </QueryState>
      {consenting && <ExternalInstallModal app={consenting} onClose={() => setConsenting(null)} onInstalled={() => reexecute({ requestPolicy: 'network-only' })} />}
      {editing && (
        <VisibilityModal
          app={editing}
          onClose={() => setEditing(null)}
          onSaved={() => {
            setEditing(null);
            reexecute({ requestPolicy: 'network-only' });
          }}
        />
      )}
    </Card>
  );
}
