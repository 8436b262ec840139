// One course: its chapters and lessons with my progress, and the lesson being studied (a video
// resumes where I left it; an article or a document is marked as read).
import { CheckCircleFilled, FileTextOutlined, PlayCircleOutlined, ReadOutlined } from '@ant-design/icons';
import { Card, Collapse, List, Progress, Result, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { CourseQuery } from './courseOperations';
import LessonView from './LessonView';

const ICONS = { VIDEO: <PlayCircleOutlined />, DOCUMENT: <FileTextOutlined />, ARTICLE: <ReadOutlined /> } as const;

export default function CoursePage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result, reexecute] = useQuery({ query: CourseQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const course = result.data?.learningCourse;
  const lessons = course?.chapters.flatMap((c) => c.lessons) ?? [];
  const [chosen, setChosen] = useState<string | null>(null);
  const current = lessons.find((l) => l.id === chosen) ?? lessons.find((l) => !l.myCompleted) ?? lessons[0];
  return (
    <Card title={course?.title ?? t('learning.course')} data-testid="learning-course">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!course} isEmpty={!course && !result.fetching}
        emptyText={t('learning.courseNotFound')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {course && (
          <>
            {course.myCompletedAt && (
              <Result status="success" title={t('learning.courseDone', { n: course.credits })} data-testid="learning-course-done"
                style={{ padding: 12 }} />
            )}
            <Typography.Paragraph type="secondary">
              {course.categoryName} · {t('learning.creditsN', { n: course.credits })}{course.creditKind ? ` (${course.creditKind})` : ''}
            </Typography.Paragraph>
            <Progress percent={course.lessonCount ? Math.round((course.myDoneLessons * 100) / course.lessonCount) : 0}
              format={() => `${course.myDoneLessons}/${course.lessonCount}`} data-testid="learning-course-progress" />
            {current && <LessonView key={current.id} lesson={current} />}
            <Collapse style={{ marginTop: 16 }} defaultActiveKey={course.chapters.map((_c, i) => String(i))}
              items={course.chapters.map((ch, i) => ({
                key: String(i),
                label: ch.title,
                children: (
                  <List size="small" dataSource={ch.lessons} renderItem={(l) => (
                    <List.Item onClick={() => setChosen(l.id)} style={{ cursor: 'pointer', fontWeight: l.id === current?.id ? 600 : 400 }}
                      data-testid="learning-lesson-row"
                      extra={l.myCompleted ? <CheckCircleFilled style={{ color: '#52c41a' }} aria-label={t('learning.done')} /> : null}>
                      <span>{ICONS[l.kind]} {l.title}</span>
                    </List.Item>
                  )} />
                ),
              }))} />
          </>
        )}
      </QueryState>
    </Card>
  );
}
