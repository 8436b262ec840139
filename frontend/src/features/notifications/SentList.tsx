// What I sent, with read receipts: how many have read it, and who has and has not.
import { useEffect, useState } from 'react';
import { Button, Collapse, Flex, Progress, Space, Tag, Typography } from 'antd';
import { ReloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';

const SentQuery = graphql(`
  query SentNotifications($first: Int, $after: String) {
    sentNotifications(first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          id
          title
          kind
          priority
          createdAt
          recipientCount
          readCount
        }
      }
    }
  }
`);

const ReceiptsQuery = graphql(`
  query NotificationReceipts($id: ID!) {
    node(id: $id) {
      id
      ... on Notification {
        read: receipts(first: 100, read: true) {
          totalCount
          edges {
            node {
              userId
              userName
              readAt
            }
          }
        }
        unread: receipts(first: 100, read: false) {
          totalCount
          edges {
            node {
              userId
              userName
            }
          }
        }
      }
    }
  }
`);

// Readers do not announce themselves to the sender; a sender's open list re-reads this often.
const REFRESH_MS = 10_000;

export function SentList() {
  const { t } = useTranslation();
  const [first, setFirst] = useState(20);
  const [result, reexecute] = useQuery({ query: SentQuery, variables: { first } });
  useEffect(() => {
    const timer = setInterval(() => reexecute({ requestPolicy: 'network-only' }), REFRESH_MS);
    return () => clearInterval(timer);
  }, [reexecute]);
  const connection = result.data?.sentNotifications;
  const nodes = connection?.edges.map((e) => e?.node).filter((n) => !!n) ?? [];
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!connection}
      isEmpty={connection?.totalCount === 0}
      emptyText={t('sent.empty')}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <Flex justify="end" style={{ marginBottom: 8 }}>
        <Button icon={<ReloadOutlined />} onClick={() => reexecute({ requestPolicy: 'network-only' })} loading={result.fetching}>
          {t('common.refresh')}
        </Button>
      </Flex>
      <Collapse
        data-testid="sent"
        destroyOnHidden
        items={nodes.map((n) => ({
          key: n.id,
          label: (
            <Flex justify="space-between" wrap gap={8}>
              <Space size={4} wrap>
                {n.priority === 'URGENT' && <Tag color="red">{t('priority.URGENT')}</Tag>}
                <Typography.Text strong>{n.title}</Typography.Text>
                <Typography.Text type="secondary">{formatTime(n.createdAt)}</Typography.Text>
              </Space>
              <Space size={8} data-testid="read-count">
                <Progress type="circle" size={24} percent={n.recipientCount ? Math.round((100 * n.readCount) / n.recipientCount) : 0} showInfo={false} />
                {t('sent.readOf', { read: n.readCount, total: n.recipientCount })}
              </Space>
            </Flex>
          ),
          children: <Receipts id={n.id} />,
        }))}
      />
      {connection?.pageInfo.hasNextPage && first < 100 && (
        <Flex justify="center" style={{ marginTop: 12 }}>
          <Button onClick={() => setFirst((f) => Math.min(100, f + 20))}>{t('common.loadMore')}</Button>
        </Flex>
      )}
    </QueryState>
  );
}

function Receipts({ id }: { id: string }) {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: ReceiptsQuery, variables: { id }, requestPolicy: 'network-only' });
  const node = result.data?.node;
  const receipts = node && node.__typename === 'Notification' ? node : null;
  return (
    <QueryState fetching={result.fetching} error={result.error} hasData={!!receipts} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {receipts && (
        <Space orientation="vertical" style={{ width: '100%' }}>
          <div>
            <Typography.Text type="secondary">{t('sent.readBy', { count: receipts.read.totalCount })}</Typography.Text>
            <div>
              {receipts.read.edges.map((e) => (
                <Tag color="green" key={e!.node!.userId} title={formatTime(e!.node!.readAt)}>
                  {e!.node!.userName}
                </Tag>
              ))}
            </div>
          </div>
          <div>
            <Typography.Text type="secondary">{t('sent.unreadBy', { count: receipts.unread.totalCount })}</Typography.Text>
            <div>
              {receipts.unread.edges.map((e) => (
                <Tag key={e!.node!.userId}>{e!.node!.userName}</Tag>
              ))}
            </div>
          </div>
        </Space>
      )}
    </QueryState>
  );
}
