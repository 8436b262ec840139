// A booking: when, where, who answered; one button per action the server offers.
import { App, Button, Card, Descriptions, Space, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { CancelMeetingMutation, CheckInMeetingMutation, MeetingBookingQuery, RespondToMeetingMutation } from './operations';
import { hm } from './time';

export default function BookingPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const id = decodeURIComponent(useParams().id ?? '');
  const [result, reexecute] = useQuery({ query: MeetingBookingQuery, variables: { id } });
  const [, cancel] = useMutation(CancelMeetingMutation);
  const [, respond] = useMutation(RespondToMeetingMutation);
  const [, checkIn] = useMutation(CheckInMeetingMutation);
  const b = result.data?.meetingBooking;

  async function act(action: string) {
    const input = { booking: id };
    const r =
      action === 'CANCEL' ? (await cancel({ input })).data?.cancelMeeting
      : action === 'CHECK_IN' ? (await checkIn({ input })).data?.checkInMeeting
      : (await respond({ input: { ...input, answer: action === 'ACCEPT' ? 'ACCEPT' : 'DECLINE' } })).data?.respondToMeeting;
    if (r?.errors.length) message.error(r.errors[0].message);
    else message.success(t('meetings.done'));
    reexecute({ requestPolicy: 'network-only' });
  }

  return (
    <Card title={b?.title ?? t('meetings.booking')} data-testid="meetings-booking" extra={<Button onClick={() => navigate('/meetings')}>{t('meetings.board')}</Button>}>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={!b} emptyText={t('meetings.hidden')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {b && (
          <>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('meetings.when')}>{`${formatTime(b.startAt)}–${hm(b.endAt)}`}</Descriptions.Item>
              <Descriptions.Item label={t('meetings.room')}>{[b.room.building, b.room.floor, b.room.name].filter(Boolean).join(' ')}</Descriptions.Item>
              <Descriptions.Item label={t('meetings.organiser')}>{b.organiserName}</Descriptions.Item>
              <Descriptions.Item label={t('meetings.status')}>
                <Tag data-testid="meetings-status">{t(`meetings.statusName.${b.status}`)}</Tag>
                {b.isPrivate && <Tag>{t('meetings.private')}</Tag>}
                {b.isSeries && <Tag>{t('meetings.series')}</Tag>}
              </Descriptions.Item>
              <Descriptions.Item label={t('meetings.invitees')}>
                <Space wrap>
                  {b.invitees.map((i) => (
                    <Tag key={i.name} color={i.answer === 'ACCEPTED' ? 'green' : i.answer === 'DECLINED' ? 'red' : undefined}>
                      {i.name} · {t(`meetings.answer.${i.answer}`)}
                    </Tag>
                  ))}
                </Space>
              </Descriptions.Item>
            </Descriptions>
            <Space wrap style={{ marginTop: 16 }}>
              {b.availableActions.map((a) => (
                <Button key={a} danger={a === 'CANCEL' || a === 'DECLINE'} type={a === 'CHECK_IN' || a === 'ACCEPT' ? 'primary' : 'default'} onClick={() => act(a)} data-testid={`action-${a}`}>
                  {t(`meetings.action.${a}`)}
                </Button>
              ))}
            </Space>
          </>
        )}
      </QueryState>
    </Card>
  );
}
