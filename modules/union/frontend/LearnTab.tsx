// 自主学习: the union's door to learning elsewhere. 党建理论 (quiz campaigns), 职工讲堂 (courses) and
// 培训考核 (my exams) come from the learning centre's GraphQL, 新闻资讯 from the announcements'
// union columns (a column whose name holds 工会 or 院报), 职工书屋 from the union itself (each
// opening is counted). An entry shows only when its app is installed here.
import { App, Card, Empty, List, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { Link } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useAccess } from '@workbench/app/access';
import { formatTime } from '@workbench/components/time';
import { OpenUnionBookMutation, UnionBooksQuery, UnionLearningQuery, UnionNewsQuery } from './extrasOperations';

const UNION_COLUMN = /工会|院报/;

function LearningEntries() {
  const { t } = useTranslation();
  const [result] = useQuery({ query: UnionLearningQuery, requestPolicy: 'cache-and-network' });
  const campaigns = result.data?.learningQuizCampaigns ?? [];
  const courses = (result.data?.learningCourses.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  const exams = (result.data?.myLearningAssignments ?? []).filter((a) => a.exam && !a.myCompletedAt);
  return (
    <>
      <Card size="small" title={t('union.learn.theory')} data-testid="union-learn-theory"
        extra={<Link to="/learning/quiz" data-testid="union-learn-quiz">{t('union.learn.toQuiz')}</Link>}>
        {campaigns.length === 0 ? <Typography.Text type="secondary">{t('union.learn.none')}</Typography.Text> : campaigns.map((c) => (
          <div key={c.id}>
            <Link to="/learning/quiz">{c.title}</Link>{' '}
            <Tag color={c.myToday?.completedAt ? 'green' : 'orange'}>{c.myToday?.completedAt ? t('union.learn.doneToday') : t('union.learn.todo')}</Tag>
          </div>
        ))}
      </Card>
      <Card size="small" title={t('union.learn.lectures')} extra={<Link to="/learning/courses">{t('union.learn.more')}</Link>}>
        {courses.length === 0 ? <Typography.Text type="secondary">{t('union.learn.none')}</Typography.Text> : courses.map((c) => (
          <div key={c.id}><Link to={`/learning/courses/${c.id}`}>{c.title}</Link></div>
        ))}
      </Card>
      <Card size="small" title={t('union.learn.exams')} extra={<Link to="/learning">{t('union.learn.more')}</Link>}>
        {exams.length === 0 ? <Typography.Text type="secondary">{t('union.learn.noExams')}</Typography.Text> : exams.map((a) => (
          <div key={a.id}><Link to={`/learning/exams/${a.exam!.id}`}>{a.exam!.title}</Link></div>
        ))}
      </Card>
    </>
  );
}

function News() {
  const { t } = useTranslation();
  const [result] = useQuery({ query: UnionNewsQuery, requestPolicy: 'cache-and-network' });
  const posts = (result.data?.announcements.edges ?? []).flatMap((e) => (e?.node && UNION_COLUMN.test(e.node.column.name) ? [e.node] : []));
  return (
    <Card size="small" title={t('union.learn.news')} data-testid="union-news" extra={<Link to="/announcements">{t('union.learn.more')}</Link>}>
      {posts.length === 0 ? <Typography.Text type="secondary">{t('union.learn.none')}</Typography.Text> : posts.slice(0, 5).map((p) => (
        <div key={p.id} style={{ marginBottom: 8, overflowWrap: 'anywhere' }} data-testid="union-news-post">
          <Link to={`/announcements/posts/${p.id}`}>{p.title}</Link>
          <div><Tag>{p.column.name}</Tag><Typography.Text type="secondary">{p.publishedAt ? formatTime(p.publishedAt) : ''}</Typography.Text></div>
        </div>
      ))}
    </Card>
  );
}

function Library({ onPoints }: { onPoints?: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, reexecute] = useQuery({ query: UnionBooksQuery, requestPolicy: 'cache-and-network' });
  const [, open] = useMutation(OpenUnionBookMutation);
  const books = result.data?.unionBooks ?? [];
  async function read(id: string) {
    // open the tab first (in the click), then point it at the book once the click is counted
    const tab = window.open('about:blank', '_blank');
    const r = (await open({ book: id })).data?.openUnionBook;
    if (r?.errors.length || !r?.book) {
      tab?.close();
      message.error(r?.errors[0]?.message ?? t('union.learn.failed'));
      return;
    }
    if (tab) tab.location.href = r.book.url;
    reexecute({ requestPolicy: 'network-only' });
    onPoints?.(); // the first opening of a book earns reading points
  }
  return (
    <Card size="small" title={t('union.learn.library')} data-testid="union-library">
      {books.length === 0 ? <Empty description={t('union.learn.noBooks')} /> : (
        <List size="small" dataSource={books} renderItem={(b) => (
          <List.Item data-testid="union-book" actions={[<a key="read" onClick={() => read(b.id)}>{t('union.learn.read')}</a>]}>
            <List.Item.Meta title={b.title} description={[b.author, b.category].filter(Boolean).join(' · ')} />
          </List.Item>
        )} />
      )}
    </Card>
  );
}

/** `onPoints`: the server may have awarded points (a book opened). */
export default function LearnTab({ onPoints }: { onPoints?: () => void }) {
  const { t } = useTranslation();
  const { installedApps } = useAccess();
  const learning = installedApps.has('learning');
  const news = installedApps.has('announcements');
  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="union-learn">
      {learning && <LearningEntries />}
      {news && <News />}
      <Library onPoints={onPoints} />
      {!learning && !news && <Typography.Text type="secondary">{t('union.learn.fewApps')}</Typography.Text>}
    </Space>
  );
}
