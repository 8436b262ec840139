// Referrals: the incoming and outgoing boards, updated live over `referralChanged`, and a
// referral's detail with its timeline and the steps one may take from here.
import { useState } from 'react';
import { Badge, Button, Card, List, Space, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import type { ReferralBox, ReferralChangedSubscription as ReferralChangedEvent, ReferralFieldsFragment } from '../../gql/graphql';
import { QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { ReferralChangedSubscription, ReferralsQuery } from './operations';
import { ReferralDrawer } from './ReferralDrawer';
import { statusColor } from './status';

export default function ReferralsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const box = (params.get('box') === 'OUTGOING' ? 'OUTGOING' : 'INCOMING') as ReferralBox;
  const [open, setOpen] = useState<string | null>(null);
  return (
    <Card
      title={t('referrals.title')}
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/referrals/new')} data-testid="new-referral">
          {t('referrals.new')}
        </Button>
      }
      styles={{ body: { paddingTop: 0 } }}
    >
      <Tabs
        activeKey={box}
        onChange={(key) => setParams({ box: key })}
        items={[
          { key: 'INCOMING', label: t('referrals.incoming'), children: box === 'INCOMING' ? <Board box="INCOMING" onOpen={setOpen} /> : null },
          { key: 'OUTGOING', label: t('referrals.outgoing'), children: box === 'OUTGOING' ? <Board box="OUTGOING" onOpen={setOpen} /> : null },
        ]}
      />
      {open && <ReferralDrawer id={open} onClose={() => setOpen(null)} />}
    </Card>
  );
}

function Board({ box, onOpen }: { box: ReferralBox; onOpen: (id: string) => void }) {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: ReferralsQuery, variables: { box, first: 50 } });
  // A change arrives live: re-read the board (the change may be a new referral or a new status).
  const [live] = useSubscription<ReferralChangedEvent, number>({ query: ReferralChangedSubscription, variables: { box } }, (count = 0) => {
    reexecute({ requestPolicy: 'network-only' });
    return count + 1;
  });
  const rows = result.data?.referrals.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [];
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!result.data}
      isEmpty={rows.length === 0}
      emptyText={box === 'INCOMING' ? t('referrals.noIncoming') : t('referrals.noOutgoing')}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <List<ReferralFieldsFragment>
        data-testid={`board-${box}`}
        data-live={live.data ?? 0}
        dataSource={rows}
        rowKey="id"
        renderItem={(r) => (
          <List.Item data-testid="referral-item" data-status={r.status} onClick={() => onOpen(r.id)} style={{ cursor: 'pointer' }}>
            <List.Item.Meta
              title={
                <Space wrap size={4}>
                  {r.overdue && <Badge status="error" />}
                  <Typography.Text strong>{r.patientName}</Typography.Text>
                  <Tag color={statusColor(r.status)} data-testid="referral-status">{t(`referralStatus.${r.status}`)}</Tag>
                  {r.status === 'REQUESTED' && r.side === 'OUTGOING' && (
                    <Tag bordered={false} color={r.deliveredAt ? 'cyan' : undefined} data-testid="referral-delivery">
                      {r.deliveredAt ? t('referrals.delivered') : t('referrals.notDelivered')}
                    </Tag>
                  )}
                  {r.urgency !== 'ROUTINE' && <Tag color="red">{t(`urgency.${r.urgency}`)}</Tag>}
                  <Tag bordered={false}>{t(`direction.${r.direction}`)}</Tag>
                </Space>
              }
              description={
                <>
                  <div>
                    {r.fromUnitName} → {r.toUnitName}
                    {r.toDeskName ? ` · ${r.toDeskName}` : ''}
                  </div>
                  <Typography.Text type="secondary">
                    {r.number} · {r.diagnosisText || r.reason.slice(0, 30)} · {formatTime(r.submittedAt ?? r.createdAt)}
                    {r.appointmentDate ? ` · ${t('referrals.appointment', { date: String(r.appointmentDate) })}` : ''}
                  </Typography.Text>
                </>
              }
            />
          </List.Item>
        )}
      />
    </QueryState>
  );
}
