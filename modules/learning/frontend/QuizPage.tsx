// 每日一答 and topic campaigns: today's questions (once a day; then the key and explanation), my
// points, and the leaderboards by department and by person.
import { Alert, Button, Card, Checkbox, Empty, Input, Radio, Result, Segmented, Space, Statistic, Tabs, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import type { OpenLearningQuizMutation } from '@workbench/gql/graphql';
import { AnswerQuizMutation, CampaignsQuery, OpenQuizMutation } from './courseOperations';
import Leaderboard from './Leaderboard';

type Session = NonNullable<NonNullable<OpenLearningQuizMutation['openLearningQuiz']>['session']>;
type Answer = number | number[] | boolean | string[] | null;

export default function QuizPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: CampaignsQuery, requestPolicy: 'cache-and-network' });
  const campaigns = result.data?.learningQuizCampaigns ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const campaign = campaigns.find((c) => c.id === chosen) ?? campaigns[0];
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  return (
    <Card title={t('learning.quiz')} data-testid="learning-quiz">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={campaigns.length === 0}
        emptyText={t('learning.noQuiz')} onRetry={refresh}>
        {campaign && (
          <>
            {campaigns.length > 1 && (
              <Segmented block value={campaign.id} onChange={(v) => setChosen(String(v))} style={{ marginBottom: 12 }}
                options={campaigns.map((c) => ({ value: c.id, label: c.title }))} data-testid="learning-campaigns" />
            )}
            <Space wrap size="large">
              <Tag color={campaign.kind === 'DAILY' ? 'blue' : 'purple'}>{t(`learning.quizKind.${campaign.kind}`)}</Tag>
              <Statistic title={t('learning.myPoints')} value={campaign.myTotal} data-testid="learning-my-points" />
              <Statistic title={t('learning.myDays')} value={campaign.myDays} />
            </Space>
            <Tabs items={[
              { key: 'today', label: t('learning.today'),
                children: <Today key={campaign.id} campaignId={campaign.id} perDay={campaign.perDay} done={!!campaign.myToday?.completedAt}
                  onAnswered={refresh} /> },
              { key: 'board', label: t('learning.leaderboard'), children: (
                <Leaderboard campaign={campaign} />
              ) },
            ]} />
          </>
        )}
      </QueryState>
    </Card>
  );
}

function Today({ campaignId, perDay, done, onAnswered }: { campaignId: string; perDay: number; done: boolean; onAnswered: () => void }) {
  const { t } = useTranslation();
  const [opening, open] = useMutation(OpenQuizMutation);
  const [answering, answer] = useMutation(AnswerQuizMutation);
  const [session, setSession] = useState<Session | null>(null);
  const [answers, setAnswers] = useState<Answer[]>([]);
  const [error, setError] = useState('');
  const start = async () => {
    const r = await open({ campaign: campaignId });
    const s = r.data?.openLearningQuiz?.session;
    setError(r.data?.openLearningQuiz?.errors?.[0]?.message ?? (r.error ? r.error.message : ''));
    if (s) {
      setSession(s);
      setAnswers(s.answers ? (JSON.parse(s.answers) as Answer[]) : s.questions.map(() => null));
    }
  };
  const submit = async () => {
    if (!session) return;
    const r = await answer({ session: session.id, answers: answers.map((a) => JSON.stringify(a)) });
    const s = r.data?.answerLearningQuiz?.session;
    setError(r.data?.answerLearningQuiz?.errors?.[0]?.message ?? (r.error ? r.error.message : ''));
    if (s) {
      setSession(s);
      onAnswered();
    }
  };
  if (!session) {
    return (
      <Space direction="vertical" style={{ width: '100%' }}>
        <Typography.Text>{t('learning.todayHint', { n: perDay })}</Typography.Text>
        <Button type="primary" block size="large" loading={opening.fetching} onClick={start} data-testid="learning-quiz-open">
          {done ? t('learning.reviewToday') : t('learning.startQuiz')}
        </Button>
        {error && <Alert type="error" showIcon title={error} />}
      </Space>
    );
  }
  const finished = !!session.completedAt;
  const set = (i: number, v: Answer) => setAnswers((old) => old.map((a, j) => (j === i ? v : a)));
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {finished && (
        <Result status="success" style={{ padding: 8 }} title={t('learning.quizScore', { correct: session.correct, total: session.questions.length, points: session.score })}
          data-testid="learning-quiz-result" />
      )}
      {session.questions.length === 0 && <Empty />}
      {session.questions.map((q, i) => (
        <Card key={i} size="small" title={`${i + 1}. ${q.stem}`} data-testid="learning-quiz-question">
          <QuizInput kind={q.kind} options={q.options} blanks={q.blanks} value={answers[i] ?? null} disabled={finished}
            onChange={(v) => set(i, v)} />
          {finished && q.key != null && (
            <Typography.Paragraph type="secondary" style={{ marginTop: 8, marginBottom: 0 }}>
              {t('learning.keyIs', { key: keyText(q.kind, q.options, JSON.parse(q.key) as Answer, t) })}{q.explanation ? ` ${q.explanation}` : ''}
            </Typography.Paragraph>
          )}
        </Card>
      ))}
      {!finished && (
        <Button type="primary" block size="large" loading={answering.fetching} onClick={submit}
          disabled={answers.some((a) => a == null || (Array.isArray(a) && a.length === 0))} data-testid="learning-quiz-submit">
          {t('learning.submitQuiz')}
        </Button>
      )}
      {error && <Alert type="error" showIcon title={error} />}
    </Space>
  );
}

function keyText(kind: string, options: string[], key: Answer, t: (k: string) => string): string {
  if (kind === 'true_false') return key ? t('learning.true') : t('learning.false');
  if (kind === 'single' && typeof key === 'number') return options[key] ?? '';
  if (kind === 'multiple' && Array.isArray(key)) return (key as number[]).map((k) => options[k]).join('、');
  if (kind === 'fill' && Array.isArray(key)) return (key as unknown as string[][]).map((b) => b[0]).join('；');
  return '';
}

function QuizInput({ kind, options, blanks, value, disabled, onChange }: {
  kind: string; options: string[]; blanks: number; value: Answer; disabled: boolean; onChange: (v: Answer) => void;
}) {
  const { t } = useTranslation();
  if (kind === 'single') {
    return (
      <Radio.Group value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as number)}>
        <Space direction="vertical">{options.map((o, i) => <Radio key={i} value={i}>{o}</Radio>)}</Space>
      </Radio.Group>
    );
  }
  if (kind === 'multiple') {
    return (
      <Checkbox.Group value={(value as number[] | null) ?? []} disabled={disabled} onChange={(v) => onChange([...(v as number[])].sort())}>
        <Space direction="vertical">{options.map((o, i) => <Checkbox key={i} value={i}>{o}</Checkbox>)}</Space>
      </Checkbox.Group>
    );
  }
  if (kind === 'true_false') {
    return (
      <Radio.Group value={value} disabled={disabled} onChange={(e) => onChange(e.target.value as boolean)}>
        <Radio value={true}>{t('learning.true')}</Radio>
        <Radio value={false}>{t('learning.false')}</Radio>
      </Radio.Group>
    );
  }
  const texts = (value as string[] | null) ?? Array.from({ length: blanks }, () => '');
  return (
    <Space direction="vertical" style={{ width: '100%' }}>
      {texts.map((v, i) => (
        <Input key={i} value={v} disabled={disabled} placeholder={t('learning.blankN', { n: i + 1 })}
          onChange={(e) => onChange(texts.map((x, j) => (j === i ? e.target.value : x)))} />
      ))}
    </Space>
  );
}
