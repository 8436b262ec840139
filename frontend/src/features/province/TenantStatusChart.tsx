// Loaded on demand (React.lazy): only the parts of ECharts this chart uses.
import { useEffect, useRef } from 'react';
import { useTranslation } from 'react-i18next';
import * as echarts from 'echarts/core';
import { PieChart } from 'echarts/charts';
import { LegendComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([PieChart, LegendComponent, TooltipComponent, CanvasRenderer]);

const COLORS: Record<string, string> = { ACTIVE: '#52c41a', SUSPENDED: '#fa8c16', PROVISIONING: '#1677ff', ARCHIVED: '#bfbfbf' };

export default function TenantStatusChart({ data }: { data: { status: string; count: number }[] }) {
  const { t } = useTranslation();
  const ref = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!ref.current) return;
    const chart = echarts.init(ref.current);
    // The counts sit in the legend ("使用中 2"), not on the ring: labels of small or empty slices
    // piled onto each other, and the ring stays clear of the legend below it.
    const counts = new Map(data.map((d) => [t(`tenantStatus.${d.status}`), d.count]));
    chart.setOption({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0, type: 'scroll', formatter: (name: string) => `${name} ${counts.get(name) ?? 0}` },
      series: [
        {
          type: 'pie',
          radius: ['38%', '62%'],
          center: ['50%', '44%'],
          label: { show: false },
          data: data.map((d) => ({ name: t(`tenantStatus.${d.status}`), value: d.count, itemStyle: { color: COLORS[d.status] } })),
        },
      ],
    });
    const observer = new ResizeObserver(() => chart.resize());
    observer.observe(ref.current);
    return () => {
      observer.disconnect();
      chart.dispose();
    };
  }, [data, t]);
  return <div ref={ref} style={{ width: '100%', height: 260 }} data-testid="status-chart" />;
}
