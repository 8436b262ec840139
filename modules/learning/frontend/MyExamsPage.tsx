// 我的考试: the exams assigned to me, newest first, each opening its exam page.
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
            <List.Item onClick={() => navigate(`/learning/exams/${encodeURIComponent(a.exam.id)}`)} style={{ cursor: 'pointer' }}
              data-testid="learning-exam-row"
              extra={a.myCompletedAt ? <Tag color="green">{t('learning.done')}</Tag> : <Tag color="orange">{t('learning.todo')}</Tag>}>
              <List.Item.Meta
                title={<Typography.Text strong>{a.exam.title}</Typography.Text>}
                description={t('learning.rowSummary', { minutes: a.exam.timeLimitMinutes, pass: a.exam.passPercent, deadline: formatTime(a.deadline) })}
              />
            </List.Item>
          )}
        />
      </QueryState>
    </Card>
  );
}
