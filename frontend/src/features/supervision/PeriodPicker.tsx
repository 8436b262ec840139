// Month, quarter or year, in the API's spelling ("2026-03", "2026Q1", "2026").
import { Segmented, Select, Space } from 'antd';
import { useTranslation } from 'react-i18next';
import { asKind, kindOf, monthLabel, yearOf, type PeriodKind } from './periods';

interface Props {
  value: string;
  onChange: (period: string) => void;
  kinds?: PeriodKind[];
}

export function PeriodPicker({ value, onChange, kinds = ['month', 'quarter', 'year'] }: Props) {
  const { t } = useTranslation();
  const kind = kindOf(value);
  const year = yearOf(value);
  const thisYear = new Date().getFullYear();
  const years = Array.from({ length: 6 }, (_v, i) => thisYear - 5 + i);
  const part = kind === 'month' ? Number(value.slice(5, 7)) : kind === 'quarter' ? Number(value.slice(5)) : 0;
  const compose = (y: number, p: number) => (kind === 'month' ? monthLabel(y, p) : kind === 'quarter' ? `${y}Q${p}` : String(y));
  return (
    <Space wrap size={8} data-testid="period-picker">
      {kinds.length > 1 && (
        <Segmented<PeriodKind>
          value={kind}
          onChange={(k) => onChange(asKind(value, k))}
          options={kinds.map((k) => ({ value: k, label: t(`supervision.period.${k}`) }))}
        />
      )}
      <Select
        value={year}
        onChange={(y: number) => onChange(compose(y, part))}
        options={years.map((y) => ({ value: y, label: t('supervision.period.yearLabel', { year: y }) }))}
        style={{ width: 104 }}
        aria-label={t('supervision.period.year')}
        data-testid="period-year"
      />
      {kind !== 'year' && (
        <Select
          value={part}
          onChange={(p: number) => onChange(compose(year, p))}
          options={Array.from({ length: kind === 'month' ? 12 : 4 }, (_v, i) => ({
            value: i + 1,
            label: t(kind === 'month' ? 'supervision.period.monthLabel' : 'supervision.period.quarterLabel', { n: i + 1 }),
          }))}
          style={{ width: 120 }}
          aria-label={t(kind === 'month' ? 'supervision.period.month' : 'supervision.period.quarter')}
          data-testid="period-part"
        />
      )}
    </Space>
  );
}
