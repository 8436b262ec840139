// 预订会议室: room, subject, day and hours, invitees, weekly repetition, privacy. A clash comes
// back from the server as MEETINGS_ROOM_TAKEN with the clashing time, shown under the start time.
import { useState } from 'react';
import { Alert, Button, Card, DatePicker, Form, Input, InputNumber, Select, Space, Switch, TimePicker } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate, useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { applyFieldErrors, errorText, type FieldError } from '@workbench/api/errors';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import { BookMeetingRoomMutation, MeetingRoomsQuery } from './operations';
import { instant, today } from './time';

interface Values {
  room: string;
  title: string;
  day: Dayjs;
  start: Dayjs;
  end: Dayjs;
  invitees?: string[];
  weeks?: number;
  isPrivate?: boolean;
  ding?: boolean;
}

export default function BookPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [form] = Form.useForm<Values>();
  const [rooms] = useQuery({ query: MeetingRoomsQuery });
  const [booked, book] = useMutation(BookMeetingRoomMutation);
  const [general, setGeneral] = useState<FieldError[]>([]);

  async function submit(v: Values) {
    const day = v.day.format('YYYY-MM-DD');
    const result = await book({
      input: {
        room: v.room, title: v.title, start: instant(day, v.start.format('HH:mm')), end: instant(day, v.end.format('HH:mm')),
        invitees: v.invitees ?? [], weeks: v.weeks ?? 1, isPrivate: !!v.isPrivate, ding: !!v.ding,
      },
    });
    const payload = result.data?.bookMeetingRoom;
    if (payload?.booking) {
      navigate(`/meetings/bookings/${encodeURIComponent(payload.booking.id)}`);
      return;
    }
    setGeneral(applyFieldErrors(form, payload?.errors ?? []));
  }

  return (
    <Card title={t('meetings.bookTitle')} data-testid="meetings-book" style={{ maxWidth: 640 }}>
      {booked.error && <Alert type="error" showIcon title={errorText(booked.error)} style={{ marginBottom: 12 }} />}
      {general.map((e) => (
        <Alert key={e.code + e.message} type="error" showIcon title={e.message} style={{ marginBottom: 12 }} data-testid="meetings-error" />
      ))}
      <Form
        form={form}
        layout="vertical"
        onFinish={submit}
        onValuesChange={() => setGeneral([])}
        initialValues={{ room: params.get('room') ?? undefined, day: dayjs(params.get('date') ?? today()), weeks: 1 }}
      >
        <Form.Item name="room" label={t('meetings.room')} rules={[{ required: true, message: t('meetings.roomRequired') }]}>
          <Select
            loading={rooms.fetching}
            data-testid="meetings-room"
            options={(rooms.data?.meetingRooms ?? []).map((r) => ({
              value: r.id, label: `${r.name}${t('common.paren', { text: `${[r.building, r.floor].filter(Boolean).join(' ')} · ${t('meetings.seats', { n: r.capacity })}` })}`,
            }))}
          />
        </Form.Item>
        <Form.Item name="title" label={t('meetings.subject')} rules={[{ required: true, message: t('meetings.subjectRequired') }, { max: 100 }]}>
          <Input data-testid="meetings-title" />
        </Form.Item>
        <Form.Item name="day" label={t('meetings.day')} rules={[{ required: true }]}>
          <DatePicker allowClear={false} style={{ width: '100%' }} />
        </Form.Item>
        <Space.Compact block>
          <Form.Item name="start" label={t('meetings.start')} rules={[{ required: true, message: t('meetings.timeRequired') }]} style={{ flex: 1 }}>
            <TimePicker format="HH:mm" minuteStep={15} needConfirm={false} style={{ width: '100%' }} data-testid="meetings-start" />
          </Form.Item>
          <Form.Item name="end" label={t('meetings.end')} rules={[{ required: true, message: t('meetings.timeRequired') }]} style={{ flex: 1 }}>
            <TimePicker format="HH:mm" minuteStep={15} needConfirm={false} style={{ width: '100%' }} data-testid="meetings-end" />
          </Form.Item>
        </Space.Compact>
        <Form.Item name="invitees" label={t('meetings.invitees')}>
          <ContactPicker multiple placeholder={t('meetings.inviteesHint')} />
        </Form.Item>
        <Form.Item name="weeks" label={t('meetings.weeks')} extra={t('meetings.weeksHint')}>
          <InputNumber min={1} max={26} style={{ width: '100%' }} />
        </Form.Item>
        <Space size="large" wrap>
          <Form.Item name="isPrivate" label={t('meetings.private')} valuePropName="checked">
            <Switch />
          </Form.Item>
          <Form.Item name="ding" label={t('meetings.ding')} valuePropName="checked">
            <Switch />
          </Form.Item>
        </Space>
        <Form.Item>
          <Space>
            <Button type="primary" htmlType="submit" loading={booked.fetching} data-testid="meetings-submit">
              {t('meetings.submit')}
            </Button>
            <Button onClick={() => navigate('/meetings')}>{t('meetings.back')}</Button>
          </Space>
        </Form.Item>
      </Form>
    </Card>
  );
}
