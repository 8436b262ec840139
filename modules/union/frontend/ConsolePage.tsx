// The officer console (1280 px): participation of the sub-unions or groups below the officer's own
// node as charts and a table, and the leaderboards — always inside the officer's part of the tree.
import { lazy, Suspense, useMemo } from 'react';
import { Card, Col, Row, Spin, Statistic, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { UnionParticipationQuery } from './operations';
import RankTab from './RankTab';
import CareConsole from './CareConsole';
import ExtrasConsole from './ExtrasConsole';
import WomensHealthConsole from './WomensHealthConsole';

const ParticipationCharts = lazy(() => import('./ParticipationCharts'));

export default function ConsolePage() {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: UnionParticipationQuery, variables: { days: 30 } });
  const p = result.data?.unionParticipation;
  const rows = useMemo(() => p?.rows ?? [], [p]);
  const trend = useMemo(() => p?.trend ?? [], [p]);
  const checked = rows.reduce((s, r) => s + r.checkedIn, 0);
  return (
    <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {p && (
        <Row gutter={[16, 16]} data-testid="union-console">
          <Col xs={24} lg={16}>
            <Card title={t('union.participationOf', { name: p.node.name })} data-testid="union-scope">
              <Row gutter={16} style={{ marginBottom: 8 }}>
                <Col span={8}><Statistic title={t('union.members')} value={p.node.memberCount} /></Col>
                <Col span={8}><Statistic title={t('union.checkedInPeople')} value={checked} /></Col>
                <Col span={8}><Statistic title={t('union.rate')} value={p.node.memberCount ? Math.round((checked / p.node.memberCount) * 100) : 0} suffix="%" /></Col>
              </Row>
              <Suspense fallback={<Spin />}>
                <ParticipationCharts rows={rows} trend={trend} />
              </Suspense>
              <Table size="small" rowKey="nodeId" pagination={false} dataSource={rows} data-testid="union-participation-table"
                columns={[
                  { title: t('union.node'), dataIndex: 'name' },
                  { title: t('union.members'), dataIndex: 'members' },
                  { title: t('union.checkedInPeople'), dataIndex: 'checkedIn' },
                  { title: t('union.signedUpPeople'), dataIndex: 'signedUp' },
                  { title: t('union.rate'), dataIndex: 'rate', render: (v: number) => `${Math.round(v * 100)}%` },
                ]} />
            </Card>
          </Col>
          <Col xs={24} lg={8}>
            <Card title={t('union.leaderboard')}>
              <RankTab node={p.node.id} />
            </Card>
          </Col>
        </Row>
      )}
      {p && <CareConsole />}
      {p && <ExtrasConsole />}
      {p && <WomensHealthConsole />}
    </QueryState>
  );
}
