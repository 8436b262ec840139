// The workspace's audit log (append-only, hash-chained on the server), newest first, with new
// records arriving live over `auditRecorded`. Needs platform.view_audit; others see why not.
import { useEffect, useState } from 'react';
import { Badge, Button, Card, Flex, Input, Table, Tag, Typography } from 'antd';
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
          action
          objectType
          objectId
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
      objectType
      objectId
      outcome
    }
  }
`);

type Recorded = NonNullable<NonNullable<AuditRecordsQuery['auditRecords']['edges'][number]>['node']>;
type Row = Pick<Recorded, 'seq' | 'at' | 'actorLabel' | 'action' | 'objectType' | 'objectId' | 'outcome'> &
  Partial<Pick<Recorded, 'ip' | 'before' | 'after'>> & { live?: boolean };

export default function AuditPage() {
  const { t } = useTranslation();
  const [action, setAction] = useState('');
  const [first, setFirst] = useState(50);
  const [result, reexecute] = useQuery({ query: AuditRecordsQueryDoc, variables: { first, action: action || null } });
  const [live] = useSubscription<AuditRecordedSubscriptionResult, Row[]>({ query: AuditRecordedSubscription, pause: !!result.error }, (rows = [], event) => {
    const { seq, at, actorLabel, action: what, objectType, objectId, outcome } = event.auditRecorded;
    if (action && what !== action) return rows;
    return [{ seq, at, actorLabel, action: what, objectType, objectId, outcome, live: true }, ...rows].slice(0, 200);
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
        <Table<Row>
          data-testid="audit-table"
          rowKey="seq"
          size="small"
          pagination={false}
          dataSource={rows}
          expandable={{
            rowExpandable: (r) => !!(r.before || r.after),
            expandedRowRender: (r) => (
              <Flex gap={16} wrap>
                {r.before && <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{t('audit.before')}: {r.before}</pre>}
                {r.after && <pre style={{ margin: 0, whiteSpace: 'pre-wrap' }}>{t('audit.after')}: {r.after}</pre>}
              </Flex>
            ),
          }}
          columns={[
            { title: t('audit.at'), dataIndex: 'at', render: (v: string, r) => <>{r.live && <Badge status="processing" />} {formatTime(v)}</> },
            { title: t('audit.actor'), dataIndex: 'actorLabel' },
            { title: t('audit.action'), dataIndex: 'action', render: (v: string) => <Typography.Text code>{v}</Typography.Text> },
            { title: t('audit.object'), key: 'object', render: (_v, r) => `${r.objectType} ${r.objectId}`, responsive: ['md'] },
            { title: t('audit.outcome'), dataIndex: 'outcome', render: (v: string) => <Tag color={v === 'success' ? 'green' : 'red'}>{v}</Tag> },
            { title: 'IP', dataIndex: 'ip', responsive: ['lg'] },
          ]}
        />
        {result.data?.auditRecords.pageInfo.hasNextPage && first < 100 && (
          <Flex justify="center" style={{ marginTop: 12 }}>
            <Button onClick={() => setFirst(100)}>{t('common.loadMore')}</Button>
          </Flex>
        )}
      </QueryState>
    </Card>
  );
}
