// 我的考试: the exams and courses assigned to me, newest first, each opening its page.
import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { MyAssignmentsQuery } from './operations';

export default function MyExamsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({ query: MyAssignmentsQuery, requestPolicy: 'cache-and-network' });
  const rows = result.data?.myLearningAssignments ?? [];
  return (
    <Card title={t('learning.myExams')} data-testid="learning-my-exams">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={rows.length === 0}
        emptyText={t('learning.noExams')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <List
          dataSource={rows}
          renderItem={(a) => (
            <List.Item style={{ cursor: 'pointer' }} data-testid={a.exam ? 'learning-exam-row' : 'learning-assigned-course-row'}
              onClick={() => navigate(a.exam ? `/learning/exams/${encodeURIComponent(a.exam.id)}` : `/learning/courses/${encodeURIComponent(a.course?.id ?? '')}`)}
              extra={a.myCompletedAt ? <Tag color="green">{t('learning.done')}</Tag> : <Tag color="orange">{t('learning.todo')}</Tag>}>
              <List.Item.Meta
                title={<Typography.Text strong>{a.exam ? '' : `${t('learning.courseTag')} `}{a.exam?.title ?? a.course?.title}</Typography.Text>}
                description={a.exam
                  ? t('learning.rowSummary', { minutes: a.exam.timeLimitMinutes, pass: a.exam.passPercent, deadline: formatTime(a.deadline) })
                  : t('learning.courseRowSummary', { credits: a.course?.credits ?? 0, deadline: formatTime(a.deadline) })}
              />
            </List.Item>
          )}
        />
      </QueryState>
    </Card>
  );
}
