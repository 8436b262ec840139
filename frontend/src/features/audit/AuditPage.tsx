// The workspace's audit log (append-only, hash-chained on the server), newest first, with new
// records arriving live over `auditRecorded`. Needs platform.view_audit; others see why not.
import { useEffect, useState } from 'react';
import { Badge, Button, Card, Flex, Grid, Input, List, Table, Tag, Tooltip, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '../../gql';
import type { AuditRecordedSubscription as AuditRecordedSubscriptionResult, AuditRecordsQuery } from '../../gql/graphql';
import { QueryState } from '../../components/QueryState';
import { RECONNECTED_EVENT } from '../../api/client';
import { formatTime } from '../../components/time';

const AuditRecordsQueryDoc = graphql(`
  query AuditRecords($first: Int, $after: String, $action: String) {
    auditRecords(first: $first, after: $after, action: $action) {
      pageInfo {
        hasNextPage
        endCursor
      }
      edges {
        node {
          seq
          at
          actorLabel
          actorName
          action
          actionLabel
          actionLabelEn
          objectType
          objectId
          objectLabel
          ip
          outcome
          before
          after
        }
      }
    }
  }
`);

const AuditRecordedSubscription = graphql(`
  subscription AuditRecorded {
    auditRecorded {
      seq
      at
      actorLabel
      action
      actionLabel
      actionLabelEn
      objectType
      objectId
      objectLabel
      outcome
    }
  }
`);

type Recorded = NonNullable<NonNullable<AuditRecordsQuery['auditRecords']['edges'][number]>['node']>;
type Row = Pick<Recorded, 'seq' | 'at' | 'actorLabel' | 'action' | 'actionLabel' | 'actionLabelEn' | 'objectType' | 'objectId' | 'objectLabel' | 'outcome'> &
  Partial<Pick<Recorded, 'ip' | 'before' | 'after'>> & { live?: boolean };

export default function AuditPage() {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [action, setAction] = useState('');
  const [first, setFirst] = useState(50);
  const [result, reexecute] = useQuery({ query: AuditRecordsQueryDoc, variables: { first, action: action || null } });
  const [live] = useSubscription<AuditRecordedSubscriptionResult, Row[]>({ query: AuditRecordedSubscription, pause: !!result.error }, (rows = [], event) => {
    const { action: what, ...rest } = event.auditRecorded;
    if (action && what !== action) return rows;
    return [{ ...rest, action: what, live: true }, ...rows].slice(0, 200);
  });
  // Records written while the socket was down come with the next read.
  useEffect(() => {
    const reread = () => reexecute({ requestPolicy: 'network-only' });
    window.addEventListener(RECONNECTED_EVENT, reread);
    return () => window.removeEventListener(RECONNECTED_EVENT, reread);
  }, [reexecute]);
  const loaded: Row[] = result.data?.auditRecords.edges.map((e) => e?.node).filter((n): n is Recorded => !!n) ?? [];
  const seen = new Set(loaded.map((r) => r.seq));
  const rows = [...(live.data ?? []).filter((r) => !seen.has(r.seq)), ...loaded];

  return (
    <Card
      title={t('audit.title')}
      extra={live.data?.length ? <Badge status="processing" text={t('audit.liveCount', { count: live.data.length })} /> : null}
    >
      <Input.Search allowClear placeholder={t('audit.actionFilter')} onSearch={(v) => setAction(v.trim())} style={{ maxWidth: 360, marginBottom: 12 }} />
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={rows.length === 0} emptyText={t('audit.empty')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {screens.md ? (
          <Table<Row>
            data-testid="audit-table"
            rowKey="seq"
            size="small"
            pagination={false}
            dataSource={rows}
            expandable={{ rowExpandable: (r) => !!(r.before || r.after), expandedRowRender: (r) => <Changes row={r} /> }}
            columns={[
              { title: t('audit.at'), dataIndex: 'at', width: 170, render: (v: string, r) => <span style={{ whiteSpace: 'nowrap' }}>{r.live && <Badge status="processing" />} {formatTime(v)}</span> },
              { title: t('audit.actor'), key: 'actor', width: 120, render: (_v, r) => <span style={{ whiteSpace: 'nowrap' }}>{r.actorLabel || t('audit.system')}</span> },
              { title: t('audit.action'), key: 'action', render: (_v, r) => <Verb row={r} /> },
              { title: t('audit.object'), dataIndex: 'objectLabel', render: (v: string) => v || '—' },
              { title: t('audit.outcome'), dataIndex: 'outcome', width: 80, render: (v: string) => <Outcome value={v} /> },
              { title: 'IP', dataIndex: 'ip', responsive: ['xl'], width: 130 },
            ]}
          />
        ) : (
          <List<Row>
            data-testid="audit-list"
            dataSource={rows}
            rowKey="seq"
            renderItem={(r) => (
              <List.Item data-testid="audit-item" style={{ display: 'block' }}>
                <Flex justify="space-between" gap={8} align="start">
                  <Verb row={r} />
                  <Outcome value={r.outcome} />
                </Flex>
                {r.objectLabel && <div>{r.objectLabel}</div>}
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {r.live && <Badge status="processing" />} {r.actorLabel || t('audit.system')} · {formatTime(r.at)}
                </Typography.Text>
                {(r.before || r.after) && (
                  <details>
                    <summary style={{ cursor: 'pointer', fontSize: 12 }}>{t('audit.details')}</summary>
                    <Changes row={r} />
                  </details>
                )}
              </List.Item>
            )}
          />
        )}
        {result.data?.auditRecords.pageInfo.hasNextPage && first < 100 && (
          <Flex justify="center" style={{ marginTop: 12 }}>
            <Button onClick={() => setFirst(100)}>{t('common.loadMore')}</Button>
          </Flex>
        )}
      </QueryState>
    </Card>
  );
}

/** What happened, in the reader's language; the code stays at hand for filtering. */
function Verb({ row }: { row: Row }) {
  const { i18n } = useTranslation();
  return (
    <Tooltip title={row.action}>
      <Typography.Text strong data-testid="audit-verb">
        {i18n.language === 'en' ? row.actionLabelEn : row.actionLabel}
      </Typography.Text>
    </Tooltip>
  );
}

function Outcome({ value }: { value: string }) {
  const { t } = useTranslation();
  return <Tag color={value === 'success' ? 'green' : 'red'}>{value === 'success' ? t('audit.success') : t('audit.failure')}</Tag>;
}

function Changes({ row }: { row: Row }) {
  const { t } = useTranslation();
  return (
    <Flex gap={16} wrap>
      {row.before && <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{t('audit.before')}: {row.before}</pre>}
      {row.after && <pre style={{ margin: 0, whiteSpace: 'pre-wrap', wordBreak: 'break-all' }}>{t('audit.after')}: {row.after}</pre>}
    </Flex>
  );
}
