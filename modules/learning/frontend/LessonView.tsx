// A lesson being studied. A video starts where I left it and reports its position every 10 s,
// on pause and at the end (the server decides when it counts as watched); an article or a
// document is done with 「我已学完」.
import { Alert, Button, Space, Typography } from 'antd';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import type { LearningCourseQuery } from '@workbench/gql/graphql';
import { ReportProgressMutation } from './courseOperations';

type Lesson = NonNullable<LearningCourseQuery['learningCourse']>['chapters'][number]['lessons'][number];
const REPORT_EVERY_MS = 10_000;

function clock(seconds: number): string {
  return `${Math.floor(seconds / 60)}:${String(Math.floor(seconds % 60)).padStart(2, '0')}`;
}

export default function LessonView({ lesson }: { lesson: Lesson }) {
  const { t } = useTranslation();
  const [state, report] = useMutation(ReportProgressMutation);
  const [error, setError] = useState('');
  const video = useRef<HTMLVideoElement>(null);
  const send = useCallback(async (position: number, finished = false) => {
    const r = await report({ lesson: lesson.id, position: Math.floor(position), finished });
    const e = r.data?.reportLearningProgress?.errors?.[0];
    setError(e?.message ?? (r.error ? t('learning.saveFailed') : ''));
  }, [lesson.id, report, t]);

  useEffect(() => {
    if (lesson.kind !== 'VIDEO') return undefined;
    const timer = setInterval(() => {
      const v = video.current;
      if (v && !v.paused && !v.ended) void send(v.currentTime);
    }, REPORT_EVERY_MS);
    return () => clearInterval(timer);
  }, [lesson.kind, send]);

  return (
    <div style={{ marginTop: 12 }} data-testid="learning-lesson">
      <Typography.Title level={5}>{lesson.title}</Typography.Title>
      {lesson.kind === 'VIDEO' && (
        <>
          {lesson.myPosition > 0 && !lesson.myCompleted && (
            <Typography.Text type="secondary" data-testid="learning-resume">{t('learning.resumeAt', { at: clock(lesson.myPosition) })}</Typography.Text>
          )}
          <video ref={video} src={lesson.url} controls playsInline preload="metadata" style={{ width: '100%', maxHeight: 360, background: '#000' }}
            onLoadedMetadata={(e) => { if (lesson.myPosition > 0 && !lesson.myCompleted) e.currentTarget.currentTime = lesson.myPosition; }}
            onPause={(e) => void send(e.currentTarget.currentTime)}
            onEnded={(e) => void send(e.currentTarget.duration || lesson.durationSeconds)}
            data-testid="learning-video" />
        </>
      )}
      {lesson.kind === 'ARTICLE' && <Typography.Paragraph style={{ whiteSpace: 'pre-wrap' }}>{lesson.body}</Typography.Paragraph>}
      {lesson.kind === 'DOCUMENT' && (
        <Typography.Link href={lesson.url} target="_blank" rel="noopener noreferrer">{t('learning.openDocument')}</Typography.Link>
      )}
      {lesson.kind !== 'VIDEO' && (
        <Space style={{ display: 'flex', marginTop: 8 }}>
          <Button type="primary" disabled={lesson.myCompleted} loading={state.fetching} onClick={() => void send(0, true)}
            data-testid="learning-lesson-finish">
            {lesson.myCompleted ? t('learning.lessonDone') : t('learning.finishLesson')}
          </Button>
        </Space>
      )}
      {error && <Alert type="error" showIcon title={error} style={{ marginTop: 8 }} />}
    </div>
  );
}
