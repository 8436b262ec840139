// 课程学习: the catalogue by category (each department's categories apart), searchable, with my
// progress per course; a course opens its lessons.
import { Card, Input, List, Progress, Select, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { CoursesQuery } from './courseOperations';

export default function CoursesPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [category, setCategory] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const [result, reexecute] = useQuery({ query: CoursesQuery, variables: { category, search }, requestPolicy: 'cache-and-network' });
  const courses = (result.data?.learningCourses.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const categories = result.data?.learningCourseCategories ?? [];
  return (
    <Card title={t('learning.courses')} data-testid="learning-courses"
      extra={<Typography.Link onClick={() => navigate('/learning/credits')} data-testid="learning-credits-link">{t('learning.myCredits')}</Typography.Link>}>
      <Space wrap style={{ marginBottom: 12, width: '100%' }}>
        <Select allowClear placeholder={t('learning.allCategories')} style={{ minWidth: 180 }} value={category} onChange={setCategory}
          options={categories.map((c) => ({ value: c.id, label: c.departmentName ? `${c.departmentName} · ${c.name}` : c.name }))}
          data-testid="learning-category" />
        <Input.Search allowClear placeholder={t('learning.searchCourses')} onSearch={setSearch} style={{ maxWidth: 240 }} />
      </Space>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={courses.length === 0}
        emptyText={t('learning.noCourses')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <List dataSource={courses} renderItem={(c) => (
          <List.Item onClick={() => navigate(`/learning/courses/${encodeURIComponent(c.id)}`)} style={{ cursor: 'pointer' }}
            data-testid="learning-course-row"
            extra={c.myCompletedAt ? <Tag color="green">{t('learning.done')}</Tag> : null}>
            <List.Item.Meta
              title={<Typography.Text strong>{c.title}</Typography.Text>}
              description={
                <>
                  <div>{[c.departmentName, c.categoryName].filter(Boolean).join(' · ')}{' '}
                    {t('learning.creditsN', { n: c.credits })}{c.creditKind ? ` (${c.creditKind})` : ''}</div>
                  <Progress percent={c.lessonCount ? Math.round((c.myDoneLessons * 100) / c.lessonCount) : 0} size="small"
                    format={() => `${c.myDoneLessons}/${c.lessonCount}`} />
                </>
              }
            />
          </List.Item>
        )} />
      </QueryState>
    </Card>
  );
}
