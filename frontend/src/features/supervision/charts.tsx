// The dashboard's charts, loaded on demand (React.lazy) with only the parts of ECharts they use:
// an indicator's trend (line) and completeness or timeliness of the children by month (heat map).
import { useEffect, useMemo, useRef } from 'react';
import * as echarts from 'echarts/core';
import { HeatmapChart, LineChart } from 'echarts/charts';
import { GridComponent, TooltipComponent, VisualMapComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, HeatmapChart, GridComponent, TooltipComponent, VisualMapComponent, CanvasRenderer]);

type Option = Parameters<echarts.ECharts['setOption']>[0];

function Chart({ option, height, testId }: { option: Option; height: number; testId: string }) {
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
  return <div ref={ref} style={{ width: '100%', height }} data-testid={testId} />;
}

export interface TrendProps {
  months: string[];
  values: (number | null)[];
  name: string;
  unitLabel: string;
}

export function TrendChart({ months, values, name, unitLabel }: TrendProps) {
  const option = useMemo<Option>(() => ({
    tooltip: { trigger: 'axis', valueFormatter: (v: unknown) => (v == null ? '—' : `${v}${unitLabel}`) },
    grid: { left: 8, right: 16, top: 24, bottom: 8, containLabel: true },
    xAxis: { type: 'category', data: months, boundaryGap: false, axisLabel: { hideOverlap: true } },
    // A percentage reads from 0 to 100 (higher only when a value is, e.g. bed occupancy above 100%).
    yAxis:
      unitLabel === '%'
        ? { type: 'value', name: unitLabel, min: 0, max: ({ max }: { max: number }) => Math.max(100, Math.ceil(max / 10) * 10) }
        : { type: 'value', name: unitLabel, scale: true },
    series: [{ type: 'line', name, data: values, connectNulls: false, smooth: true, symbolSize: 6, areaStyle: { opacity: 0.08 } }],
  }), [months, values, name, unitLabel]);
  return <Chart option={option} height={280} testId="trend-chart" />;
}

export interface HeatProps {
  months: string[];
  rows: { name: string; values: (number | null)[] }[];
  label: string;
}

export function HeatChart({ months, rows, label }: HeatProps) {
  // ECharts draws the first category at the bottom: reverse so the list reads top-down.
  const option = useMemo<Option>(() => {
    const ordered = [...rows].reverse();
    return {
    tooltip: {
      position: 'top',
      formatter: (p: unknown) => {
        const { data } = p as { data: [number, number, number | null] };
        const value = data[2];
        return `${ordered[data[1]].name}<br/>${months[data[0]]}：${value == null ? '—' : `${value}%`}`;
      },
    },
    grid: { left: 8, right: 8, top: 8, bottom: 56, containLabel: true },
    xAxis: { type: 'category', data: months.map((m) => m.slice(2)), splitArea: { show: true } },
    yAxis: { type: 'category', data: ordered.map((r) => r.name), axisLabel: { width: 110, overflow: 'truncate' } },
    visualMap: {
      min: 0,
      max: 100,
      calculable: true,
      orient: 'horizontal',
      left: 'center',
      bottom: 0,
      text: ['100%', `${label} 0%`],
      inRange: { color: ['#f5222d', '#faad14', '#52c41a'] },
    },
    series: [
      {
        type: 'heatmap',
        name: label,
        data: ordered.flatMap((r, y) => r.values.map((v, x) => [x, y, v ?? '-'])),
        label: { show: months.length <= 12 && rows.length <= 12, fontSize: 10, formatter: (p: unknown) => String((p as { data: unknown[] }).data[2]) },
      },
    ],
    };
  }, [months, rows, label]);
  return <Chart option={option} height={Math.max(160, 80 + rows.length * 30)} testId="heatmap-chart" />;
}
