// 公文: 收文 (waiting on me, or everything I may see) and 发文, searchable by title and number.
import { useState } from 'react';
import { Button, Card, Flex, Input, List, Segmented, Tabs, Tag, Typography } from 'antd';
import { NumberOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { useAccess } from '@workbench/app/access';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import type { IncomingDocumentView } from '@workbench/gql/graphql';
import { DocumentListsQuery } from './operations';

export default function ListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [tab, setTab] = useState('incoming');
  const [view, setView] = useState<IncomingDocumentView>('ALL');
  const [search, setSearch] = useState('');
  const manager = useAccess().permissions.has('documents.manage');
  const [result, reexecute] = useQuery({
    query: DocumentListsQuery,
    variables: { view, search: search || null },
    requestPolicy: 'cache-and-network',
  });
  const incoming = (result.data?.incomingDocuments.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const outgoing = (result.data?.outgoingDocuments.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const empty = tab === 'incoming' ? incoming.length === 0 : outgoing.length === 0;
  return (
    <Card
      title={t('documents.title')}
      data-testid="documents-page"
      extra={
        <Flex gap={8} wrap>
          {manager && (
            <Button icon={<NumberOutlined />} onClick={() => navigate('/documents/series')} data-testid="documents-series">
              {t('documents.manageSeries')}
            </Button>
          )}
          <Button icon={<PlusOutlined />} onClick={() => navigate('/documents/incoming/new')} data-testid="documents-register">
            {t('documents.register')}
          </Button>
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/documents/outgoing/new')} data-testid="documents-draft">
            {t('documents.draft')}
          </Button>
        </Flex>
      }
    >
      <Input.Search allowClear placeholder={t('documents.search')} onSearch={setSearch} style={{ maxWidth: 320 }} />
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'incoming', label: t('documents.incoming') },
          { key: 'outgoing', label: t('documents.outgoing') },
        ]}
        data-testid="documents-tabs"
      />
      {tab === 'incoming' && (
        <Segmented<IncomingDocumentView>
          value={view}
          onChange={setView}
          options={[
            { value: 'ALL', label: t('documents.view.ALL') },
            { value: 'WAITING', label: t('documents.view.WAITING') },
          ]}
          style={{ marginBottom: 8 }}
        />
      )}
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={empty} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {tab === 'incoming' ? (
          <List
            dataSource={incoming}
            rowKey="id"
            data-testid="incoming-list"
            renderItem={(d) => (
              <List.Item style={{ cursor: 'pointer' }} onClick={() => navigate(`/documents/incoming/${encodeURIComponent(d.id)}`)}>
                <List.Item.Meta
                  title={
                    <Flex gap={4} wrap>
                      {d.urgency !== 'NORMAL' && <Tag color="red">{t(`documents.urgency.${d.urgency}`)}</Tag>}
                      <Typography.Text style={{ wordBreak: 'break-word' }}>{d.title}</Typography.Text>
                    </Flex>
                  }
                  description={`${d.issuer} ${d.number} · ${t(`documents.inStatus.${d.status}`)} · ${formatTime(d.createdAt)}`}
                />
              </List.Item>
            )}
          />
        ) : (
          <List
            dataSource={outgoing}
            rowKey="id"
            data-testid="outgoing-list"
            renderItem={(d) => (
              <List.Item style={{ cursor: 'pointer' }} onClick={() => navigate(`/documents/outgoing/${encodeURIComponent(d.id)}`)}>
                <List.Item.Meta
                  title={<Typography.Text style={{ wordBreak: 'break-word' }}>{d.title}</Typography.Text>}
                  description={`${d.number || t('documents.noNumber')} · ${t(`documents.outStatus.${d.status}`)} · ${d.drafterName}`}
                />
              </List.Item>
            )}
          />
        )}
      </QueryState>
    </Card>
  );
}
