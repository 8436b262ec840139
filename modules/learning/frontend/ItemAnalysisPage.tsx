// 试题分析 (managers, after the exam closed): each question's difficulty (share of full marks) and
// discrimination (top 27% minus bottom 27%), hardest first.
import { Alert, Card, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { ItemAnalysisQuery } from './courseOperations';

function pct(v: number | null | undefined): string {
  return v == null ? '—' : `${Math.round(v * 100)}%`;
}

export default function ItemAnalysisPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result, reexecute] = useQuery({ query: ItemAnalysisQuery, variables: { exam: id }, requestPolicy: 'network-only' });
  const rows = result.data?.learningItemAnalysis ?? [];
  const notClosed = result.error?.graphQLErrors.some((e) => e.extensions?.code === 'EXAM_NOT_CLOSED');
  return (
    <Card title={`${result.data?.learningExam?.title ?? t('learning.exam')} · ${t('learning.itemAnalysis')}`} data-testid="learning-item-analysis">
      {notClosed ? <Alert type="info" showIcon title={t('learning.analysisAfterClose')} /> : (
        <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={rows.length === 0}
          emptyText={t('learning.noAttempts')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
          <Table size="small" pagination={false} rowKey={(r) => r.stem} dataSource={rows} scroll={{ x: true }}
            columns={[
              { title: t('learning.stem'), dataIndex: 'stem', ellipsis: true },
              { title: t('learning.topic'), dataIndex: 'topic', responsive: ['md'] },
              { title: t('learning.answered'), dataIndex: 'answered', responsive: ['sm'] },
              { title: t('learning.difficultyIndex'), dataIndex: 'difficulty', render: (v: number | null) => pct(v) },
              { title: t('learning.discrimination'), dataIndex: 'discrimination',
                render: (v: number | null) => (v == null ? '—' : <Tag color={v >= 0.3 ? 'green' : v >= 0.2 ? 'gold' : 'red'}>{v.toFixed(2)}</Tag>) },
            ]} />
        </QueryState>
      )}
    </Card>
  );
}
