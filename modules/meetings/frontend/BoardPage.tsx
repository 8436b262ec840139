// 会议室看板: rooms × the hours of one day, per building. Each taken span is drawn where it lies;
// others' private meetings show only as taken. On a phone the day scrolls sideways.
import { useState } from 'react';
import { Button, Card, DatePicker, Select, Space, Tooltip, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import dayjs from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { MeetingBoardQuery } from './operations';
import { hm, minutesFrom, today } from './time';

const FIRST_HOUR = 7;
const LAST_HOUR = 22;
const HOURS = Array.from({ length: LAST_HOUR - FIRST_HOUR }, (_, i) => FIRST_HOUR + i);

function offset(iso: string, day: string): number {
  const minutes = minutesFrom(day, FIRST_HOUR, iso);
  return Math.min(Math.max(minutes / ((LAST_HOUR - FIRST_HOUR) * 60), 0), 1) * 100;
}

export default function BoardPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [day, setDay] = useState(today);
  const [building, setBuilding] = useState<string | undefined>();
  const [result, reexecute] = useQuery({ query: MeetingBoardQuery, variables: { date: day, building }, requestPolicy: 'cache-and-network' });
  const board = result.data?.meetingBoard;
  return (
    <Card
      title={t('meetings.boardTitle')}
      data-testid="meetings-board"
      extra={
        <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate(`/meetings/book?date=${day}`)} data-testid="meetings-new">
          {t('meetings.book')}
        </Button>
      }
    >
      <Space wrap style={{ marginBottom: 12 }}>
        <DatePicker value={dayjs(day)} allowClear={false} onChange={(d) => d && setDay(d.format('YYYY-MM-DD'))} data-testid="meetings-date" />
        <Select
          allowClear
          style={{ minWidth: 140 }}
          placeholder={t('meetings.allBuildings')}
          value={building}
          onChange={setBuilding}
          options={(board?.buildings ?? []).map((b) => ({ value: b, label: b }))}
          data-testid="meetings-building"
        />
      </Space>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!board} isEmpty={board?.rows.length === 0} emptyText={t('meetings.noRooms')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <div style={{ overflowX: 'auto' }}>
          <div style={{ minWidth: 720 }}>
            <div style={{ display: 'flex', fontSize: 12, color: '#888' }}>
              <div style={{ width: 120, flex: 'none' }} />
              <div style={{ flex: 1, display: 'flex' }}>
                {HOURS.map((h) => (
                  <div key={h} style={{ flex: 1, borderLeft: '1px solid #eee', paddingLeft: 2 }}>{h}</div>
                ))}
              </div>
            </div>
            {board?.rows.map((row) => (
              <div key={row.room.id} style={{ display: 'flex', borderTop: '1px solid #f0f0f0', minHeight: 44 }} data-testid={`room-${row.room.name}`}>
                <div style={{ width: 120, flex: 'none', padding: 4 }}>
                  <Typography.Link onClick={() => navigate(`/meetings/book?room=${encodeURIComponent(row.room.id)}&date=${day}`)}>{row.room.name}</Typography.Link>
                  <div style={{ fontSize: 11, color: '#999' }}>
                    {[row.room.building, row.room.floor].filter(Boolean).join(' ')} · {t('meetings.seats', { n: row.room.capacity })}
                  </div>
                </div>
                <div style={{ flex: 1, position: 'relative', background: 'repeating-linear-gradient(90deg, #fafafa 0, #fafafa 1px, transparent 1px, transparent calc(100% / 15))' }}>
                  {row.busy.map((b) => {
                    const left = offset(b.startAt, day);
                    const width = Math.max(offset(b.endAt, day) - left, 1);
                    return (
                      <Tooltip key={b.startAt} title={`${hm(b.startAt)}–${hm(b.endAt)} ${b.title} ${b.organiserName}`}>
                        <div
                          onClick={() => b.booking && navigate(`/meetings/bookings/${encodeURIComponent(b.booking.id)}`)}
                          data-testid="meetings-busy"
                          style={{
                            position: 'absolute', top: 4, bottom: 4, left: `${left}%`, width: `${width}%`, overflow: 'hidden',
                            background: b.mine ? '#1677ff' : b.isPrivate ? '#bfbfbf' : '#91caff', color: b.mine ? '#fff' : '#000',
                            borderRadius: 4, fontSize: 11, padding: '2px 4px', whiteSpace: 'nowrap', cursor: b.booking ? 'pointer' : 'default',
                          }}
                        >
                          {b.title}
                        </div>
                      </Tooltip>
                    );
                  })}
                </div>
              </div>
            ))}
          </div>
        </div>
        {result.data?.meetingCalendarUrl && (
          <Typography.Paragraph type="secondary" style={{ marginTop: 12, fontSize: 12 }} copyable={{ text: window.location.origin + result.data.meetingCalendarUrl }}>
            {t('meetings.calendarHint')}
          </Typography.Paragraph>
        )}
      </QueryState>
    </Card>
  );
}
