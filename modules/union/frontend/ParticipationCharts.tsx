// Loaded on demand (React.lazy): a bar chart of participation per sub-union or group and a line
// of daily check-ins, with only the parts of ECharts they use.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([BarChart, LineChart, GridComponent, LegendComponent, TooltipComponent, CanvasRenderer]);

type Row = { name: string; members: number; checkedIn: number; signedUp: number };
type Point = { day: unknown; count: number };

function useChart(option: echarts.EChartsCoreOption) {
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    chart.setOption(option);
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [option]);
  return ref;
}

export default function ParticipationCharts({ rows, trend }: { rows: Row[]; trend: Point[] }) {
  const { t } = useTranslation();
  const bars = useChart({
    tooltip: { trigger: 'axis' },
    legend: { bottom: 0 },
    grid: { left: 40, right: 16, top: 16, bottom: 64 },
    xAxis: { type: 'category', data: rows.map((r) => r.name), axisLabel: { interval: 0, rotate: rows.length > 6 ? 30 : 0 } },
    yAxis: { type: 'value' },
    series: [
      { name: t('union.members'), type: 'bar', data: rows.map((r) => r.members) },
      { name: t('union.checkedInPeople'), type: 'bar', data: rows.map((r) => r.checkedIn) },
      { name: t('union.signedUpPeople'), type: 'bar', data: rows.map((r) => r.signedUp) },
    ],
  });
  const line = useChart({
    tooltip: { trigger: 'axis' },
    grid: { left: 40, right: 16, top: 16, bottom: 32 },
    xAxis: { type: 'category', data: trend.map((p) => String(p.day).slice(5)) },
    yAxis: { type: 'value' },
    series: [{ name: t('union.dailyCheckIns'), type: 'line', smooth: true, areaStyle: {}, data: trend.map((p) => p.count) }],
  });
  return (
    <>
      <div ref={bars} style={{ width: '100%', height: 320 }} data-testid="union-participation-chart" />
      <div ref={line} style={{ width: '100%', height: 240 }} data-testid="union-trend-chart" />
    </>
  );
}
