// Taking an exam, phone first: one question per screen, the server's timer, each answer saved as
// it is given (a reload continues at the same question with the answers kept). The server ends
// the attempt at its time limit; at zero the page reads it again and shows the result.
import { ClockCircleOutlined } from '@ant-design/icons';
import { Alert, Button, Card, Checkbox, Input, Popconfirm, Progress, Radio, Space, Tag, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useSearchParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import type { LearningAttemptQuery } from '@workbench/gql/graphql';
import { AttemptQuery, SaveAnswerMutation, SubmitAttemptMutation } from './operations';

type Answer = number | number[] | boolean | string | string[] | null;

interface Props {
  attemptId: string;
  title: string;
  onEnded: () => void;
}

function clock(seconds: number): string {
  const m = Math.floor(seconds / 60);
  const s = seconds % 60;
  return `${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}`;
}

export default function TakeExam({ attemptId, title, onEnded }: Props) {
  const { t } = useTranslation();
  const [result] = useQuery({ query: AttemptQuery, variables: { id: attemptId }, requestPolicy: 'network-only' });
  const attempt = result.data?.learningAttempt;
  const ended = !!attempt && attempt.status !== 'IN_PROGRESS';
  useEffect(() => {
    if (ended) onEnded();
  }, [ended, onEnded]);
  return (
    <QueryState fetching={result.fetching} error={result.error} hasData={!!attempt} onRetry={onEnded}>
      {attempt && !ended ? <Paper key={attempt.id} attempt={attempt} title={title} onEnded={onEnded} /> : <Card title={title}>{t('learning.timeUp')}</Card>}
    </QueryState>
  );
}

type Attempt = NonNullable<LearningAttemptQuery['learningAttempt']>;

function Paper({ attempt, title, onEnded }: { attempt: Attempt; title: string; onEnded: () => void }) {
  const { t } = useTranslation();
  const attemptId = attempt.id;
  const [params, setParams] = useSearchParams();
  const [, save] = useMutation(SaveAnswerMutation);
  const [submitting, submit] = useMutation(SubmitAttemptMutation);
  const [answers, setAnswers] = useState<Record<string, Answer>>(() =>
    Object.fromEntries(attempt.items.map((i) => [i.id, i.answer == null ? null : (JSON.parse(i.answer) as Answer)])));
  const [saving, setSaving] = useState<Record<string, 'saving' | 'saved' | string>>({});
  const [endAt, setEndAt] = useState<number>(() => Date.now() + attempt.secondsLeft * 1000);
  const [now, setNow] = useState(() => Date.now());
  const timers = useRef<Record<string, ReturnType<typeof setTimeout>>>({});
  const items = attempt.items;
  const index = Math.min(Math.max(Number(params.get('q') ?? '1') - 1, 0), Math.max(items.length - 1, 0));
  const item = items[index];

  useEffect(() => {
    const tick = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(tick);
  }, []);
  const left = Math.max(0, Math.round((endAt - now) / 1000));
  useEffect(() => {
    if (left === 0) onEnded(); // the server has ended it: read the exam again
  }, [left, onEnded]);

  const send = async (itemId: string, value: Answer) => {
    setSaving((s) => ({ ...s, [itemId]: 'saving' }));
    const r = await save({ item: itemId, answer: JSON.stringify(value) });
    const e = r.data?.saveLearningAnswer?.errors?.[0];
    if (e?.code === 'ATTEMPT_ENDED') onEnded();
    const secondsLeft = r.data?.saveLearningAnswer?.secondsLeft;
    if (typeof secondsLeft === 'number') setEndAt(Date.now() + secondsLeft * 1000);
    setSaving((s) => ({ ...s, [itemId]: e ? e.message : r.error ? t('learning.saveFailed') : 'saved' }));
  };
  const answer = (itemId: string, value: Answer, typing = false) => {
    setAnswers((a) => ({ ...a, [itemId]: value }));
    clearTimeout(timers.current[itemId]);
    if (typing) timers.current[itemId] = setTimeout(() => void send(itemId, value), 600);
    else void send(itemId, value);
  };
  const go = (n: number) => setParams({ q: String(n + 1) }, { replace: true });
  const finish = async () => {
    await submit({ attempt: attemptId });
    onEnded();
  };
  const answered = items.filter((i) => answers[i.id] != null && answers[i.id] !== '').length;
  const state = item ? saving[item.id] : undefined;

  return (
    <Card
      title={<Typography.Text ellipsis style={{ maxWidth: 170 }}>{title}</Typography.Text>}
      extra={<Tag color={left < 60 ? 'red' : 'blue'} style={{ fontSize: 16, padding: '2px 8px' }} icon={<ClockCircleOutlined />} data-testid="learning-timer">{clock(left)}</Tag>}
      data-testid="learning-take"
      styles={{ body: { padding: 12 } }}
    >
      {item && (
          <Space direction="vertical" style={{ width: '100%' }} size="middle">
            <Progress percent={Math.round((answered / items.length) * 100)} size="small"
              format={() => `${answered}/${items.length}`} />
            <div data-testid="learning-question">
              <Tag>{t(`learning.kind.${item.kind}`)}</Tag>
              <Typography.Text type="secondary">{t('learning.questionN', { n: index + 1, total: items.length, points: item.points })}</Typography.Text>
              <Typography.Paragraph strong style={{ marginTop: 8, fontSize: 16 }}>{item.stem}</Typography.Paragraph>
            </div>
            {item.kind === 'SINGLE' && (
              <Radio.Group value={answers[item.id]} onChange={(e) => answer(item.id, e.target.value as number)} style={{ width: '100%' }}>
                <Space direction="vertical" style={{ width: '100%' }}>
                  {item.options.map((o) => <Radio key={o.value} value={o.value} data-testid="learning-option">{o.label}</Radio>)}
                </Space>
              </Radio.Group>
            )}
            {item.kind === 'MULTIPLE' && (
              <Checkbox.Group value={(answers[item.id] as number[] | null) ?? []} onChange={(v) => answer(item.id, (v as number[]).length ? (v as number[]) : null)}>
                <Space direction="vertical">
                  {item.options.map((o) => <Checkbox key={o.value} value={o.value} data-testid="learning-option">{o.label}</Checkbox>)}
                </Space>
              </Checkbox.Group>
            )}
            {item.kind === 'TRUE_FALSE' && (
              <Radio.Group value={answers[item.id]} onChange={(e) => answer(item.id, e.target.value as boolean)} optionType="button" buttonStyle="solid">
                <Radio value={true} data-testid="learning-true">{t('learning.true')}</Radio>
                <Radio value={false} data-testid="learning-false">{t('learning.false')}</Radio>
              </Radio.Group>
            )}
            {item.kind === 'FILL' && (
              <Space direction="vertical" style={{ width: '100%' }}>
                {Array.from({ length: item.blanks }, (_, b) => {
                  const current = (answers[item.id] as string[] | null) ?? Array.from({ length: item.blanks }, () => '');
                  return (
                    <Input key={b} addonBefore={t('learning.blankN', { n: b + 1 })} value={current[b] ?? ''} data-testid="learning-blank"
                      onChange={(e) => answer(item.id, current.map((x, i) => (i === b ? e.target.value : x)), true)} />
                  );
                })}
              </Space>
            )}
            {item.kind === 'SHORT' && (
              <Input.TextArea rows={6} maxLength={5000} value={(answers[item.id] as string | null) ?? ''} data-testid="learning-text"
                onChange={(e) => answer(item.id, e.target.value, true)} />
            )}
            <Typography.Text type={state && state !== 'saving' && state !== 'saved' ? 'danger' : 'secondary'} data-testid="learning-saved">
              {state === 'saving' ? t('learning.saving') : state === 'saved' ? t('learning.saved') : state}
            </Typography.Text>
            {left === 0 && <Alert type="warning" showIcon title={t('learning.timeUp')} />}
            <Space style={{ width: '100%', justifyContent: 'space-between' }}>
              <Button disabled={index === 0} onClick={() => go(index - 1)} data-testid="learning-prev">{t('learning.prev')}</Button>
              {index < items.length - 1 ? (
                <Button type="primary" onClick={() => go(index + 1)} data-testid="learning-next">{t('learning.next')}</Button>
              ) : (
                <Popconfirm title={t('learning.submitConfirm', { n: items.length - answered })} onConfirm={finish}>
                  <Button type="primary" danger loading={submitting.fetching} data-testid="learning-submit">{t('learning.submit')}</Button>
                </Popconfirm>
              )}
            </Space>
          </Space>
        )}
    </Card>
  );
}
