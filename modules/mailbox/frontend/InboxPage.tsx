// The handlers' inbox: letters by status (anonymous ones name nobody), opened to answer; the
// administrator (mailbox.manage) also sees the statistics.
import { useState } from 'react';
import { Card, Col, Flex, List, Row, Segmented, Statistic, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { useAccess } from '@workbench/app/access';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import type { MailboxLetterStatus } from '@workbench/gql/graphql';
import { MailboxLettersQuery, MailboxStatisticsQuery } from './operations';

interface Stats {
  total: number;
  anonymous: number;
  rated: number;
  average_satisfaction: number | null;
  counts: { kind: string; status: string; n: number }[];
}

function Statistics() {
  const { t } = useTranslation();
  const [result] = useQuery({ query: MailboxStatisticsQuery, requestPolicy: 'cache-and-network' });
  const raw = result.data?.mailboxStatistics;
  const stats: Stats | null = raw ? (JSON.parse(raw) as Stats) : null;
  if (!stats) return null;
  const open = stats.counts.filter((c) => c.status !== 'closed').reduce((n, c) => n + c.n, 0);
  const appeals = stats.counts.filter((c) => c.kind === 'appeal').reduce((n, c) => n + c.n, 0);
  return (
    <Card size="small" title={t('mailbox.statistics')} style={{ marginBottom: 12 }} data-testid="mailbox-statistics">
      <Row gutter={[12, 12]}>
        {[
          ['total', stats.total],
          ['open', open],
          ['appeals', appeals],
          ['anonymousCount', stats.anonymous],
        ].map(([k, v]) => (
          <Col xs={12} md={6} key={k}>
            <Statistic title={t(`mailbox.stat.${k}`)} value={v} />
          </Col>
        ))}
        <Col xs={24} md={12}>
          <Statistic
            title={t('mailbox.stat.satisfaction', { n: stats.rated })}
            value={stats.average_satisfaction == null ? '—' : stats.average_satisfaction.toFixed(1)}
            suffix={stats.average_satisfaction == null ? undefined : '/ 5'}
          />
        </Col>
      </Row>
    </Card>
  );
}

export default function InboxPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const manager = useAccess().permissions.has('mailbox.manage');
  const [status, setStatus] = useState<MailboxLetterStatus | 'ALL'>('SUBMITTED');
  const [result, reexecute] = useQuery({
    query: MailboxLettersQuery,
    variables: { status: status === 'ALL' ? null : status },
    requestPolicy: 'cache-and-network',
  });
  const letters = (result.data?.mailboxLetters.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <Flex vertical data-testid="mailbox-inbox">
      {manager && <Statistics />}
      <Card title={t('mailbox.inbox')}>
        <Segmented<MailboxLetterStatus | 'ALL'>
          value={status}
          onChange={setStatus}
          options={(['SUBMITTED', 'HANDLING', 'REPLIED', 'CLOSED', 'ALL'] as const).map((s) => ({ value: s, label: t(`mailbox.status.${s}`) }))}
          style={{ marginBottom: 8, maxWidth: '100%', overflowX: 'auto' }}
        />
        <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={!letters.length} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
          <List
            dataSource={letters}
            rowKey="id"
            data-testid="mailbox-inbox-list"
            renderItem={(l) => (
              <List.Item style={{ cursor: 'pointer' }} onClick={() => navigate(`/mailbox/letters/${encodeURIComponent(l.id)}`)} data-testid="mailbox-inbox-item">
                <List.Item.Meta
                  title={
                    <Flex gap={4} wrap>
                      <Tag>{t(`mailbox.kind.${l.kind}`)}</Tag>
                      <Typography.Text style={{ wordBreak: 'break-word' }}>{l.subject}</Typography.Text>
                    </Flex>
                  }
                  description={`${l.senderName ?? t('mailbox.anonymousSender')} · ${t(`mailbox.status.${l.status}`)} · ${formatTime(l.createdAt)}`}
                />
              </List.Item>
            )}
          />
        </QueryState>
      </Card>
    </Flex>
  );
}
