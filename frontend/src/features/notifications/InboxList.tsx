import { useEffect, useState } from 'react';
import { App, Badge, Button, Flex, List, Space, Switch, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorText } from '../../api/errors';
import { QueryState } from '../../components/QueryState';
import { useWorkbench } from '../../app/workbench';
import { formatTime } from '../../components/time';
import { pageForLink } from '../../app/links';

const InboxQuery = graphql(`
  query Inbox($first: Int, $after: String, $unreadOnly: Boolean) {
    myNotifications(first: $first, after: $after, unreadOnly: $unreadOnly) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        cursor
        node {
          deliveredAt
          readAt
          notification {
            id
            title
            body
            kind
            priority
            senderName
            link
            createdAt
          }
        }
      }
    }
  }
`);

const MarkReadMutation = graphql(`
  mutation MarkNotificationsRead($input: MarkNotificationsReadInput!) {
    markNotificationsRead(input: $input) {
      unreadCount
      errors {
        field
        code
        message
      }
    }
  }
`);

const PAGE = 20;

/** The inbox, a page at a time (keyset cursors: pages never shift when new messages arrive). */
export function InboxList() {
  const { t } = useTranslation();
  const [unreadOnly, setUnreadOnly] = useState(false);
  const [cursors, setCursors] = useState<(string | null)[]>([null]);
  const { message } = App.useApp();
  const { inboxChanged } = useWorkbench();
  const [marking, markRead] = useMutation(MarkReadMutation);

  async function mark(ids: string[] | null) {
    const result = await markRead({ input: ids ? { ids } : {} });
    const problem = result.error ? errorText(result.error) : result.data?.markNotificationsRead?.errors[0]?.message;
    if (problem) message.error(problem);
    inboxChanged();
  }

  return (
    <>
      <Flex justify="space-between" align="center" wrap gap={8} style={{ marginBottom: 8 }}>
        <Space>
          <Switch
            checked={unreadOnly}
            onChange={(v) => {
              setUnreadOnly(v);
              setCursors([null]);
            }}
            data-testid="unread-only"
          />
          <span>{t('inbox.unreadOnly')}</span>
        </Space>
        <Button onClick={() => mark(null)} loading={marking.fetching} data-testid="mark-all-read">
          {t('inbox.markAllRead')}
        </Button>
      </Flex>
      {cursors.map((after, i) => (
        <InboxPage
          key={`${unreadOnly}-${after ?? 'first'}`}
          after={after}
          unreadOnly={unreadOnly}
          first={i === 0}
          isLast={i === cursors.length - 1}
          onMore={(cursor) => setCursors((c) => [...c, cursor])}
          onMark={(id) => mark([id])}
        />
      ))}
    </>
  );
}

interface PageProps {
  after: string | null;
  unreadOnly: boolean;
  first: boolean;
  isLast: boolean;
  onMore: (cursor: string) => void;
  onMark: (id: string) => void;
}

function InboxPage({ after, unreadOnly, first, isLast, onMore, onMark }: PageProps) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const { inboxVersion } = useWorkbench();
  const [result, reexecute] = useQuery({ query: InboxQuery, variables: { first: PAGE, after, unreadOnly } });
  useEffect(() => {
    if (inboxVersion > 0) reexecute({ requestPolicy: 'network-only' });
  }, [inboxVersion, reexecute]);

  const connection = result.data?.myNotifications;
  const edges = connection?.edges.filter((e) => e?.node) ?? [];
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!connection}
      isEmpty={first && connection?.totalCount === 0}
      emptyText={unreadOnly ? t('inbox.noUnread') : t('inbox.empty')}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <List
        data-testid="inbox"
        dataSource={edges}
        rowKey={(e) => e!.node!.notification.id}
        renderItem={(edge) => {
          const r = edge!.node!;
          const n = r.notification;
          const page = pageForLink(n.link);
          // A notice that links somewhere opens it (as a tap on a DingTalk work notice does) and
          // counts as read.
          const open = page
            ? () => {
                if (!r.readAt) onMark(n.id);
                navigate(page);
              }
            : undefined;
          return (
            <List.Item
              data-testid="inbox-item"
              data-read={r.readAt ? 'yes' : 'no'}
              actions={r.readAt ? [<Typography.Text type="secondary" key="read">{t('inbox.read')}</Typography.Text>] : [<Button key="mark" size="small" onClick={() => onMark(n.id)}>{t('inbox.markRead')}</Button>]}
            >
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    {!r.readAt && <Badge status="processing" />}
                    {n.priority === 'URGENT' && <Tag color="red">{t('priority.URGENT')}</Tag>}
                    <Tag>{t(`kind.${n.kind}`)}</Tag>
                    {open ? (
                      <Typography.Link strong={!r.readAt} onClick={open} data-testid="inbox-open">{n.title}</Typography.Link>
                    ) : (
                      <Typography.Text strong={!r.readAt}>{n.title}</Typography.Text>
                    )}
                  </Space>
                }
                description={
                  <>
                    {n.body && <Typography.Paragraph ellipsis={{ rows: 2 }} style={{ marginBottom: 4 }}>{n.body}</Typography.Paragraph>}
                    <Typography.Text type="secondary">
                      {n.senderName} · {formatTime(n.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          );
        }}
      />
      {isLast && connection?.pageInfo.hasNextPage && connection.pageInfo.endCursor && (
        <Flex justify="center">
          <Button onClick={() => onMore(connection.pageInfo.endCursor!)}>{t('common.loadMore')}</Button>
        </Flex>
      )}
    </QueryState>
  );
}
