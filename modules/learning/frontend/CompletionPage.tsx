// Completion of one assignment by department, live: each time someone finishes, the server
// announces it (learningCompletionChanged) and the table is read again.
import { Card, Progress, Table } from 'antd';
import { useEffect } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useQuery, useSubscription } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';

const CompletionQuery = graphql(`
  query LearningCompletion($id: ID!) {
    learningAssignment(id: $id) {
      id
      deadline
      course {
        id
        title
      }
      exam {
        id
        title
      }
      completion {
        departmentId
        departmentName
        total
        done
        passed
        rate
      }
    }
  }
`);

const CompletionChanged = graphql(`
  subscription LearningCompletionChanged {
    learningCompletionChanged {
      assignment
    }
  }
`);

export default function CompletionPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result, reexecute] = useQuery({ query: CompletionQuery, variables: { id }, requestPolicy: 'network-only' });
  const [live] = useSubscription({ query: CompletionChanged }, (n: number | undefined, e) => (e.learningCompletionChanged.assignment === id ? (n ?? 0) + 1 : (n ?? 0)));
  useEffect(() => {
    if (live.data) reexecute({ requestPolicy: 'network-only' });
  }, [live.data, reexecute]);
  const a = result.data?.learningAssignment;
  return (
    <Card title={a ? `${a.exam?.title ?? a.course?.title ?? ''} · ${t('learning.completion')}` : t('learning.completion')}
      extra={a && t('learning.deadlineAt', { at: formatTime(a.deadline) })} data-testid="learning-completion">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!a} isEmpty={!a && !result.fetching}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <Table size="small" pagination={false} rowKey={(r) => r.departmentId ?? r.departmentName} dataSource={a?.completion ?? []} scroll={{ x: true }}
          columns={[
            { title: t('learning.department'), dataIndex: 'departmentName' },
            { title: t(a?.course ? 'learning.doneOfAssigned' : 'learning.doneOfTotal'), render: (_, r) => <span data-testid="learning-done">{r.done}/{r.total}</span> },
            { title: t('learning.rate'), render: (_, r) => <Progress percent={Math.round(r.rate * 100)} size="small" style={{ minWidth: 100 }} /> },
            ...(a?.course ? [] : [{ title: t('learning.passedCount'), dataIndex: 'passed' }]),
          ]} />
      </QueryState>
    </Card>
  );
}
