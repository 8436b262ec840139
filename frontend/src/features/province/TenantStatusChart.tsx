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
    chart.setOption({
      tooltip: { trigger: 'item' },
      legend: { bottom: 0 },
      series: [
        {
          type: 'pie',
          radius: ['45%', '70%'],
          label: { formatter: '{c}' },
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
