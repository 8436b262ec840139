// The to-do centre: one list per person fed by every module (approvals, referrals, supervision),
// with 待我处理 / 我已处理 / 我发起的 / 抄送我, search, and counts kept live by `todoCountsChanged`.
// Phone first: tapping an approval opens it in a drawer whose 同意 decides it (two taps).
import { lazy, Suspense, useState } from 'react';
import { Badge, Card, Drawer, Grid, Input, List, Skeleton, Space, Tabs, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { TodoCountsChangedSubscription as TodoCountsChangedEvent, TodoView } from '../../gql/graphql';

interface LiveCounts {
  n: number;
  counts: TodoCountsChangedEvent['todoCountsChanged'];
}
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { pageForLink } from '../../app/links';
import { instanceIdFromLink } from '../approvals/operations';

const ApprovalDetail = lazy(() => import('../approvals/ApprovalDetail').then((m) => ({ default: m.ApprovalDetail })));

const TodosQuery = graphql(`
  query Todos($view: TodoView, $search: String, $first: Int) {
    todos(view: $view, search: $search, first: $first) {
      totalCount
      edges {
        node {
          id
          source
          kind
          title
          summary
          link
          startedBy
          outcome
          urgent
          overdue
          dueAt
          createdAt
          doneAt
          state
        }
      }
    }
  }
`);

const TodoCountsQuery = graphql(`
  query TodoCounts {
    todoCounts {
      pending
      ccUnread
      startedRunning
    }
  }
`);

const TodoCountsChangedSubscription = graphql(`
  subscription TodoCountsChanged {
    todoCountsChanged {
      pending
      ccUnread
      startedRunning
    }
  }
`);

const VIEWS: TodoView[] = ['PENDING', 'DONE', 'STARTED', 'CC'];

export default function TodosPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const view = (VIEWS.find((v) => v === params.get('view')) ?? 'PENDING') as TodoView;
  const [search, setSearch] = useState('');
  const [counts, reexecuteCounts] = useQuery({ query: TodoCountsQuery });
  // The server's counters arrive live; each also means the list changed.
  const [live] = useSubscription<TodoCountsChangedEvent, LiveCounts>({ query: TodoCountsChangedSubscription }, (prev, event) => ({
    n: (prev?.n ?? 0) + 1,
    counts: event.todoCountsChanged,
  }));
  const c = live.data?.counts ?? counts.data?.todoCounts;
  const badge: Partial<Record<TodoView, number>> = { PENDING: c?.pending, STARTED: c?.startedRunning, CC: c?.ccUnread };
  const liveKey = live.data?.n ?? 0;
  return (
    <Card title={t('todos.title')} styles={{ body: { paddingTop: 0 } }} data-testid="todos-page">
      <Input.Search
        allowClear
        placeholder={t('todos.search')}
        onSearch={(v) => setSearch(v.trim())}
        style={{ marginTop: 12 }}
        data-testid="todos-search"
      />
      <Tabs
        size="small"
        tabBarGutter={16}
        activeKey={view}
        onChange={(key) => setParams({ view: key })}
        items={VIEWS.map((v) => ({
          key: v,
          label: (
            <span data-testid={`tab-${v}`}>
              {t(`todos.view.${v}`)}
              {!!badge[v] && <Badge count={badge[v]} size="small" offset={[4, -2]} data-testid={`count-${v}`} />}
            </span>
          ),
        }))}
      />
      <TodoList key={view} view={view} search={search} liveKey={liveKey} onChanged={() => reexecuteCounts({ requestPolicy: 'network-only' })} />
    </Card>
  );
}

function TodoList({ view, search, liveKey, onChanged }: { view: TodoView; search: string; liveKey: number; onChanged: () => void }) {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const screens = Grid.useBreakpoint();
  const [open, setOpen] = useState<{ id: string; title: string } | null>(null);
  const [result, reexecute] = useQuery({ query: TodosQuery, variables: { view, search: search || undefined, first: 50 } });
  const [seen, setSeen] = useState(liveKey);
  if (seen !== liveKey) {
    setSeen(liveKey);
    reexecute({ requestPolicy: 'network-only' });
  }
  const rows = result.data?.todos.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];

  function openItem(link: string, title: string) {
    const approval = instanceIdFromLink(link);
    if (approval) return setOpen({ id: approval, title });
    // Another module's item: its page (or the nearest page above the link that exists).
    navigate(pageForLink(link) ?? '/');
  }

  return (
    <>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        hasData={!!result.data}
        isEmpty={rows.length === 0}
        emptyText={t(`todos.empty.${view}`)}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      >
        <List
          data-testid={`todos-${view}`}
          dataSource={rows}
          rowKey="id"
          renderItem={(item) => (
            <List.Item data-testid="todo-item" onClick={() => openItem(item.link, item.title)} style={{ cursor: 'pointer', paddingInline: 4 }}>
              <List.Item.Meta
                title={
                  <Space wrap size={4}>
                    <Typography.Text strong>{item.title}</Typography.Text>
                    {item.urgent && <Tag color="red">{t('todos.urgent')}</Tag>}
                    {item.overdue && <Tag color="orange">{t('todos.overdue')}</Tag>}
                    {item.outcome && <Tag>{t(`todos.outcome.${item.outcome}`, { defaultValue: item.outcome })}</Tag>}
                  </Space>
                }
                description={
                  <>
                    {item.summary && <div style={{ overflowWrap: 'anywhere' }}>{item.summary}</div>}
                    <Typography.Text type="secondary">
                      {t(`todos.source.${item.source}`, { defaultValue: item.source })} · {item.startedBy} · {formatTime(item.doneAt ?? item.createdAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </QueryState>
      {open && (
        <Drawer open onClose={() => setOpen(null)} size={screens.md ? 600 : '100%'} title={open.title} data-testid="todo-drawer" styles={{ body: { paddingBottom: 0 } }}>
          <Suspense fallback={<Skeleton active />}>
            <ApprovalDetail
              id={open.id}
              onDecided={() => {
                reexecute({ requestPolicy: 'network-only' });
                onChanged();
              }}
            />
          </Suspense>
        </Drawer>
      )}
    </>
  );
}
