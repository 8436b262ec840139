// One exam: its rules, my attempts and score, and the way in — start, or continue the attempt in
// progress (a reload or another phone lands back in it with the answers kept).
import { Alert, Button, Card, Descriptions, List, Result, Tag, Typography } from 'antd';
import { useCallback, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useSignedLink } from '@workbench/api/signedLinks';
import { QueryState } from '@workbench/components/QueryState';
import { ExamQuery, StartAttemptMutation } from './operations';
import TakeExam from './TakeExam';

export default function ExamPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result, reexecute] = useQuery({ query: ExamQuery, variables: { id }, requestPolicy: 'network-only' });
  const [starting, start] = useMutation(StartAttemptMutation);
  const [error, setError] = useState('');
  const openLink = useSignedLink();
  const exam = result.data?.learningExam;
  const open = exam?.myAttempts.find((a) => a.status === 'IN_PROGRESS');
  const refresh = useCallback(() => reexecute({ requestPolicy: 'network-only' }), [reexecute]);

  if (exam && open) {
    return <TakeExam attemptId={open.id} title={exam.title} onEnded={refresh} />;
  }
  const begin = async () => {
    setError('');
    const r = await start({ exam: id });
    const e = r.data?.startLearningAttempt?.errors?.[0];
    if (e || r.error) setError(e?.message ?? r.error?.message ?? '');
    else refresh();
  };
  const last = exam?.myAttempts[0];
  return (
    <Card title={exam?.title ?? t('learning.exam')} data-testid="learning-exam">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!exam} isEmpty={!exam && !result.fetching}
        emptyText={t('learning.notFound')} onRetry={refresh}>
        {exam && (
          <>
            {last && last.status !== 'IN_PROGRESS' && (
              <Result
                status={last.passed ? 'success' : last.status === 'MARKING' ? 'info' : 'warning'}
                title={last.status === 'MARKING' ? t('learning.waitingMarking') :
                  t('learning.yourScore', { score: last.score ?? 0, max: last.maxScore })}
                subTitle={last.status === 'MARKED' && (last.passed ? t('learning.passed') : t('learning.failed'))}
                extra={<>
                  {last.timedOut && <Tag color="orange">{t('learning.timedOut')}</Tag>}
                  {last.certificatePath && (
                    <Button onClick={() => void openLink(last.certificatePath ?? '', 'tab')} data-testid="learning-certificate">
                      {t('learning.certificate')}
                    </Button>
                  )}
                </>}
                data-testid="learning-result"
              />
            )}
            {exam.description && <Typography.Paragraph>{exam.description}</Typography.Paragraph>}
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('learning.questions')}>{exam.questionCount}</Descriptions.Item>
              <Descriptions.Item label={t('learning.timeLimit')}>{t('learning.minutes', { n: exam.timeLimitMinutes })}</Descriptions.Item>
              <Descriptions.Item label={t('learning.passLine')}>{exam.passPercent}%</Descriptions.Item>
              <Descriptions.Item label={t('learning.attemptsLeft')}>{exam.attemptsLeft} / {exam.maxAttempts}</Descriptions.Item>
            </Descriptions>
            {error && <Alert type="error" showIcon title={error} style={{ marginTop: 12 }} data-testid="learning-error" />}
            {!exam.isClosed && exam.attemptsLeft > 0 && (
              <Button type="primary" block size="large" style={{ marginTop: 16 }} loading={starting.fetching} onClick={begin}
                data-testid="learning-start">
                {exam.myAttempts.length ? t('learning.startAgain') : t('learning.start')}
              </Button>
            )}
            {exam.myAttempts.length > 0 && (
              <List size="small" header={t('learning.myAttempts')} style={{ marginTop: 16 }} dataSource={exam.myAttempts}
                renderItem={(a) => (
                  <List.Item>
                    <span>{t('learning.attemptN', { n: a.number })}</span>
                    <span>{a.status === 'MARKED' ? `${a.score ?? 0} / ${a.maxScore}` : t(`learning.status.${a.status}`)}</span>
                  </List.Item>
                )}
              />
            )}
          </>
        )}
      </QueryState>
    </Card>
  );
}
