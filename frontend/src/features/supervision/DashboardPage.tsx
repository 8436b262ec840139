// The supervisor's dashboard: a node of the tree and a period (month, quarter or year); the
// chosen indicator's trend over the last 12 months, the children ranked by it (click one to
// drill down, the trail leads back up), completeness and timeliness of the children by month,
// the threshold alerts set here and what fired in the period, and the whole as an Excel workbook.
import { lazy, Suspense, useMemo, useState } from 'react';
import { App, Button, Card, Col, Flex, Grid, Result, Row, Segmented, Select, Skeleton, Statistic, Table, Typography } from 'antd';
import { DownloadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '../../components/QueryState';
import { useSession } from '../../session/session';
import { DashboardQuery, HeatmapQuery, TrendQuery } from './operations';
import { PeriodPicker } from './PeriodPicker';
import { addMonths, monthsOf } from './periods';
import { NodeTrail, levelName, orgUnitId, useSupervisionPlace, type Place } from './place';
import { downloadExport } from './exportFile';
import { AlertsPanel } from './AlertsPanel';
import { shown } from './format';

const TrendChart = lazy(() => import('./charts').then((m) => ({ default: m.TrendChart })));
const HeatChart = lazy(() => import('./charts').then((m) => ({ default: m.HeatChart })));

const PREFERRED = 'primary_visit_share';

interface LeagueRow {
  key: number;
  rank: number | null;
  unitId: number;
  name: string;
  level: string;
  value: number | null;
  numerator: number | null;
  denominator: number | null;
}

export default function DashboardPage() {
  const { t } = useTranslation();
  const { scope, reexecuteScope, unit, period, go } = useSupervisionPlace(['month', 'quarter', 'year']);
  const noScope = scope.data && !scope.data.supervisionScope.nodes.length;
  return (
    <div data-testid="supervision-dashboard">
      <QueryState fetching={scope.fetching} error={scope.error} hasData={!!scope.data} onRetry={() => reexecuteScope({ requestPolicy: 'network-only' })}>
        {noScope || !unit ? (
          <Card>
            <Result status="403" title={t('supervision.noScope')} />
          </Card>
        ) : (
          <Board unit={unit} period={period} go={go} />
        )}
      </QueryState>
    </div>
  );
}

function Board({ unit, period, go }: { unit: string; period: string; go: (next: Place) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const session = useSession();
  const screens = Grid.useBreakpoint();
  const [chosen, setChosen] = useState<string | null>(null);
  const [exporting, setExporting] = useState(false);
  const [result, reexecute] = useQuery({ query: DashboardQuery, variables: { unit, period } });
  const indicators = useMemo(() => result.data?.supervisionIndicators ?? [], [result.data]);
  const indicator = chosen ?? (indicators.find((i) => i.code === PREFERRED) ?? indicators[0])?.code ?? null;
  const meta = indicators.find((i) => i.code === indicator);
  const rows = result.data?.supervisionDashboard.rows;
  const self = rows?.[0];

  const league = useMemo<LeagueRow[]>(() => {
    const children = (rows ?? []).slice(1).map((r) => {
      const v = r.indicators.find((i) => i.code === indicator);
      return { key: r.unitId, rank: null, unitId: r.unitId, name: r.unitName, level: r.level, value: v?.value ?? null, numerator: v?.numerator ?? null, denominator: v?.denominator ?? null };
    });
    children.sort((a, b) => (a.value == null ? 1 : 0) - (b.value == null ? 1 : 0) || (b.value ?? 0) - (a.value ?? 0));
    return children.map((c, i) => ({ ...c, rank: c.value == null ? null : i + 1 }));
  }, [rows, indicator]);

  const selfValue = self?.indicators.find((i) => i.code === indicator)?.value ?? null;
  const label = meta?.unitLabel ?? '';

  async function exportIt() {
    if (!indicator) return;
    setExporting(true);
    try {
      await downloadExport({ token: session.token, tenant: session.tenant, unit, period, indicator });
    } catch (e) {
      message.error(e instanceof Error ? e.message : String(e));
    } finally {
      setExporting(false);
    }
  }

  return (
    <Flex vertical gap={16}>
      <Card
        title={t('supervision.dashboard.title')}
        extra={
          <Button icon={<DownloadOutlined />} onClick={exportIt} loading={exporting} disabled={!indicator} data-testid="export">
            {screens.sm ? t('supervision.dashboard.export') : null}
          </Button>
        }
      >
        <Flex gap={12} wrap align="center" justify="space-between">
          <NodeTrail unit={unit} onSelect={(id) => go({ unit: id })} />
          <PeriodPicker value={period} onChange={(p) => go({ period: p })} />
        </Flex>
        <Flex gap={12} wrap align="center" style={{ marginTop: 12 }}>
          <Typography.Text type="secondary">{t('supervision.dashboard.indicator')}</Typography.Text>
          <Select
            value={indicator}
            onChange={setChosen}
            options={indicators.map((i) => ({ value: i.code, label: i.name }))}
            style={{ minWidth: 220, maxWidth: '100%' }}
            showSearch={{ optionFilterProp: 'label' }}
            loading={result.fetching && !indicators.length}
            aria-label={t('supervision.dashboard.indicator')}
            data-testid="indicator-select"
          />
          {self && (
            <Statistic
              value={selfValue == null ? '—' : shown(selfValue)}
              suffix={selfValue == null ? undefined : label}
              title={t('supervision.dashboard.valueAt', { unit: self.unitName, period: result.data?.supervisionDashboard.period })}
              styles={{ content: { fontSize: 20 } }}
              data-testid="node-value"
            />
          )}
        </Flex>
      </Card>
      <Row gutter={[16, 16]}>
        <Col xs={24} lg={12}>
          <Card title={t('supervision.dashboard.trend')} size="small">
            {indicator ? <Trend unit={unit} period={period} indicator={indicator} /> : <Skeleton active />}
          </Card>
        </Col>
        <Col xs={24} lg={12}>
          <Card title={t('supervision.dashboard.league', { indicator: meta?.name ?? '' })} size="small">
            <QueryState
              fetching={result.fetching}
              error={result.error}
              hasData={!!rows}
              isEmpty={league.length === 0}
              emptyText={t('supervision.dashboard.noChildren')}
              onRetry={() => reexecute({ requestPolicy: 'network-only' })}
            >
              <Table<LeagueRow>
                dataSource={league}
                pagination={false}
                size="small"
                scroll={{ x: 'max-content' }}
                data-testid="league-table"
                onRow={(r) => ({ onClick: () => go({ unit: orgUnitId(r.unitId) }), style: { cursor: 'pointer' }, 'data-testid': 'league-row' }) as object}
                columns={[
                  { key: 'rank', title: t('supervision.dashboard.rank'), width: 56, render: (_v, r) => r.rank ?? '—' },
                  {
                    key: 'name',
                    title: t('supervision.dashboard.unit'),
                    render: (_v, r) => (
                      <>
                        <Typography.Link>{r.name}</Typography.Link>
                        <div>
                          <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                            {levelName(t, r.level)}
                          </Typography.Text>
                        </div>
                      </>
                    ),
                  },
                  { key: 'value', title: t('supervision.dashboard.value'), align: 'right', render: (_v, r) => (r.value == null ? '—' : `${shown(r.value)}${label}`) },
                  { key: 'numerator', title: t('supervision.dashboard.numerator'), align: 'right', responsive: ['md'], render: (_v, r) => r.numerator ?? '—' },
                  { key: 'denominator', title: t('supervision.dashboard.denominator'), align: 'right', responsive: ['md'], render: (_v, r) => r.denominator ?? '—' },
                ]}
              />
            </QueryState>
          </Card>
        </Col>
      </Row>
      <Heat unit={unit} period={period} />
      <AlertsPanel unit={unit} period={period} indicators={indicators} />
    </Flex>
  );
}

function Trend({ unit, period, indicator }: { unit: string; period: string; indicator: string }) {
  const { t } = useTranslation();
  const until = monthsOf(period)[1];
  const [result, reexecute] = useQuery({ query: TrendQuery, variables: { unit, indicators: [indicator], until, months: 12 } });
  const series = result.data?.supervisionTrend.series[0];
  const empty = !!series && series.values.every((v) => v == null);
  return (
    <QueryState fetching={result.fetching} error={result.error} hasData={!!series} isEmpty={empty} emptyText={t('supervision.dashboard.noData')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {series && result.data && (
        <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 280 }} />}>
          <TrendChart months={result.data.supervisionTrend.months} values={series.values} name={series.name} unitLabel={series.unitLabel} />
        </Suspense>
      )}
    </QueryState>
  );
}

function Heat({ unit, period }: { unit: string; period: string }) {
  const { t } = useTranslation();
  const [metric, setMetric] = useState<'completeness' | 'timeliness'>('completeness');
  const until = monthsOf(period)[1];
  const [result, reexecute] = useQuery({ query: HeatmapQuery, variables: { unit, periodFrom: addMonths(until, -11), periodTo: until } });
  const data = result.data?.supervisionHeatmap;
  const rows = useMemo(() => (data?.rows ?? []).map((r) => ({ name: r.unit.name, values: r.cells.map((c) => c[metric] ?? null) })), [data, metric]);
  return (
    <Card
      title={t('supervision.dashboard.heatmap')}
      size="small"
      extra={
        <Segmented
          size="small"
          value={metric}
          onChange={(v) => setMetric(v as 'completeness' | 'timeliness')}
          options={[
            { value: 'completeness', label: t('supervision.dashboard.completeness') },
            { value: 'timeliness', label: t('supervision.dashboard.timeliness') },
          ]}
          data-testid="heat-metric"
        />
      }
    >
      <QueryState fetching={result.fetching} error={result.error} hasData={!!data} isEmpty={rows.length === 0} emptyText={t('supervision.dashboard.noChildren')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {data && (
          <Suspense fallback={<Skeleton.Node active style={{ width: '100%', height: 200 }} />}>
            <HeatChart months={data.months} rows={rows} label={t(`supervision.dashboard.${metric}`)} />
          </Suspense>
        )}
      </QueryState>
    </Card>
  );
}
