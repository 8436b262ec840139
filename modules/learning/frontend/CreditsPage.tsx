// 我的学分: my continuing medical education credits of a year, course by course.
import { Card, Select, Statistic, Table } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { CreditsQuery } from './courseOperations';

export default function CreditsPage() {
  const { t } = useTranslation();
  const thisYear = new Date().getFullYear();
  const [year, setYear] = useState(thisYear);
  const [result, reexecute] = useQuery({ query: CreditsQuery, variables: { year }, requestPolicy: 'cache-and-network' });
  const record = result.data?.myLearningCredits;
  return (
    <Card title={t('learning.myCredits')} data-testid="learning-credits"
      extra={<Select value={year} onChange={setYear} options={[0, 1, 2, 3].map((d) => ({ value: thisYear - d, label: String(thisYear - d) }))}
        aria-label={t('learning.year')} />}>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!record} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {record && (
          <>
            <Statistic title={t('learning.creditsOfYear', { year: record.year })} value={record.total} precision={1}
              data-testid="learning-credit-total" />
            <Table size="small" style={{ marginTop: 12 }} pagination={false} rowKey={(r) => `${r.courseTitle}-${r.completedAt}`}
              dataSource={record.items} scroll={{ x: true }} locale={{ emptyText: t('learning.noCredits') }}
              columns={[
                { title: t('learning.course'), dataIndex: 'courseTitle' },
                { title: t('learning.credits'), dataIndex: 'credits', width: 70 },
                { title: t('learning.creditKind'), dataIndex: 'creditKind', width: 90, responsive: ['sm'] },
                { title: t('learning.completedAt'), dataIndex: 'completedAt', render: (v: string) => formatTime(v), responsive: ['md'] },
              ]} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
