// The receiving desk's free slots for the next two weeks, one button a day.
import { Empty, Radio, Skeleton, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { errorText } from '../../api/errors';
import { ReferralSlotsQuery } from './operations';

interface Props {
  unit: string;
  desk: number;
  value?: string | null;
  onChange?: (date: string) => void;
}

export function SlotPicker({ unit, desk, value, onChange }: Props) {
  const { t, i18n } = useTranslation();
  const [result] = useQuery({ query: ReferralSlotsQuery, variables: { unit, desk, days: 14 }, requestPolicy: 'cache-and-network' });
  if (result.error) return <Typography.Text type="danger">{errorText(result.error)}</Typography.Text>;
  if (!result.data) return <Skeleton.Button active block />;
  const days = result.data.referralSlots;
  if (!days.length) return <Empty description={t('referrals.noSlots')} image={Empty.PRESENTED_IMAGE_SIMPLE} />;
  const label = (iso: string) =>
    new Intl.DateTimeFormat(i18n.language === 'en' ? 'en-GB' : 'zh-CN', { month: 'numeric', day: 'numeric', weekday: 'short' }).format(new Date(`${iso}T00:00:00`));
  return (
    <Radio.Group value={value ?? undefined} onChange={(e) => onChange?.(e.target.value as string)} data-testid="slot-picker" style={{ display: 'flex', flexWrap: 'wrap', gap: 8 }}>
      {days.map((d) => (
        <Radio.Button key={String(d.date)} value={String(d.date)} disabled={d.free <= 0} data-testid={`slot-${String(d.date)}`} style={{ height: 'auto', lineHeight: 1.4, padding: '4px 10px', borderRadius: 6 }}>
          <div>{label(String(d.date))}</div>
          <Typography.Text type={d.free > 0 ? 'success' : 'secondary'} style={{ fontSize: 12 }}>
            {t('referrals.free', { free: d.free, capacity: d.capacity })}
          </Typography.Text>
        </Radio.Button>
      ))}
    </Radio.Group>
  );
}
