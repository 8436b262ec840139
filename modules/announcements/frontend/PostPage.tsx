// One post as its reader sees it: the sanitised body (cleaned on the server), videos,
// attachments, 确认已读 for a 必读 (other posts count as read when opened), likes and comments.
// Its editors also get the actions the server offers and the live read rate by department. A poll,
// when the post has one, sits under the text (Poll.tsx).
import { useEffect, useRef, useState } from 'react';
import { App, Button, Card, Divider, Flex, Input, List, Space, Tag, Typography } from 'antd';
import { LikeFilled, LikeOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useClient, useQuery } from 'urql';
import { errorText } from '@workbench/api/errors';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import type { AnnouncementFieldsFragment } from '@workbench/gql/graphql';
import {
  AnnouncementQuery, CommentOnAnnouncementMutation, HideAnnouncementCommentMutation, LikeAnnouncementMutation,
  ReadAnnouncementMutation,
} from './operations';
import { Attachments } from './Attachments';
import { EditorActions } from './EditorActions';
import { Poll } from './Poll';
import { ReadRate } from './ReadRate';

export default function PostPage() {
  const { id = '' } = useParams();
  const [result, reexecute] = useQuery({ query: AnnouncementQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const post = result.data?.announcement;
  const { t } = useTranslation();
  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!post}
      isEmpty={!!result.data && !post}
      emptyText={t('announcements.notFound')}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      {post && <Body post={post} refresh={() => reexecute({ requestPolicy: 'network-only' })} />}
    </QueryState>
  );
}

function Body({ post, refresh }: { post: AnnouncementFieldsFragment; refresh: () => void }) {
  const { t } = useTranslation();
  const client = useClient();
  const navigate = useNavigate();
  const { message } = App.useApp();
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState(false);
  const marked = useRef(false);
  const can = (a: string) => post.availableActions.includes(a as never);

  // Opening a post reads it; a 必读 waits for 确认已读.
  useEffect(() => {
    if (marked.current || !post.availableActions.includes('READ')) return;
    marked.current = true;
    void client.mutation(ReadAnnouncementMutation, { input: { id: post.id } }).toPromise();
  }, [client, post.id, post.availableActions]);

  async function run(promise: Promise<{ error?: Parameters<typeof errorText>[0]; data?: unknown }>, pick: (d: never) => { errors: readonly { message: string }[] } | null | undefined, ok: string) {
    setBusy(true);
    const r = await promise.finally(() => setBusy(false));
    const payload = r.data ? pick(r.data as never) : null;
    const problem = r.error ? errorText(r.error) : (payload?.errors ?? []).map((e) => e.message).join(' ');
    if (problem) {
      message.error(problem);
      return false;
    }
    if (ok) message.success(ok);
    refresh();
    return true;
  }

  const acknowledge = () =>
    run(client.mutation(ReadAnnouncementMutation, { input: { id: post.id } }).toPromise(), (d: { readAnnouncement?: { errors: [] } }) => d.readAnnouncement, t('announcements.acknowledged'));
  const like = () =>
    run(client.mutation(LikeAnnouncementMutation, { input: { id: post.id, liked: can('LIKE') } }).toPromise(), (d: { likeAnnouncement?: { errors: [] } }) => d.likeAnnouncement, '');
  const send = async () => {
    if (!comment.trim()) return;
    const done = await run(
      client.mutation(CommentOnAnnouncementMutation, { input: { id: post.id, text: comment } }).toPromise(),
      (d: { commentOnAnnouncement?: { errors: [] } }) => d.commentOnAnnouncement,
      t('announcements.commented'),
    );
    if (done) setComment('');
  };
  const hide = (commentId: string, hidden: boolean) =>
    run(client.mutation(HideAnnouncementCommentMutation, { input: { comment: commentId, hidden } }).toPromise(), (d: { hideAnnouncementComment?: { errors: [] } }) => d.hideAnnouncementComment, '');
  const editor = post.readByDepartment != null;

  return (
    <Flex vertical gap={12} data-testid="announcement-page" data-read={post.readAt ? 'yes' : 'no'}>
      <Card size="small">
        <Flex gap={4} wrap style={{ marginBottom: 4 }}>
          <Tag>{post.column.name}</Tag>
          {post.pinned && <Tag color="gold">{t('announcements.pinned')}</Tag>}
          {post.required && <Tag color="red">{t('announcements.required')}</Tag>}
          {post.status !== 'PUBLISHED' && <Tag color="blue">{t(`announcements.status.${post.status}`)}</Tag>}
        </Flex>
        <Typography.Title level={4} style={{ marginTop: 0, wordBreak: 'break-word' }} data-testid="announcement-title">
          {post.title}
        </Typography.Title>
        <Typography.Text type="secondary" style={{ fontSize: 12 }}>
          {post.authorName} · {formatTime(post.publishedAt ?? post.publishAt)}
          {post.required && post.readDeadline && ` · ${t('announcements.deadline', { time: formatTime(post.readDeadline) })}`}
        </Typography.Text>
        <Divider style={{ margin: '12px 0' }} />
        {/* The body was sanitised on the server (nh3 allow-list) before it was stored. */}
        <div className="announcement-body" style={{ overflowWrap: 'anywhere', maxWidth: '100%' }} dangerouslySetInnerHTML={{ __html: post.body }} data-testid="announcement-body" />
        <Attachments items={post.attachments} />
        {post.videoLinks.map((v) => (
          <div key={v}>
            <video src={v} controls style={{ width: '100%', maxWidth: 640 }} />
          </div>
        ))}
        <Flex gap={8} wrap style={{ marginTop: 12 }}>
          {can('ACKNOWLEDGE') && (
            <Button type="primary" block loading={busy} onClick={acknowledge} data-testid="announcement-acknowledge">
              {t('announcements.acknowledge')}
            </Button>
          )}
          {post.required && post.readAt && <Tag color="green" data-testid="announcement-acknowledged">{t('announcements.acknowledgedAt', { time: formatTime(post.readAt) })}</Tag>}
          {(can('LIKE') || can('UNLIKE')) && (
            <Button icon={can('UNLIKE') ? <LikeFilled /> : <LikeOutlined />} onClick={like} data-testid="announcement-like">
              {post.likeCount}
            </Button>
          )}
        </Flex>
      </Card>
      <Poll post={post} onChanged={refresh} />
      {editor && (
        <Card size="small" title={t('announcements.manageTitle')}>
          <EditorActions post={post} onChanged={refresh} onEdit={() => navigate(`/announcements/posts/${encodeURIComponent(post.id)}/edit`)} />
          <ReadRate post={post} onLive={refresh} />
        </Card>
      )}
      {(post.comments.length > 0 || can('COMMENT')) && (
        <Card size="small" title={t('announcements.comments', { count: post.comments.length })}>
          <List
            size="small"
            dataSource={post.comments}
            rowKey="id"
            data-testid="announcement-comments"
            renderItem={(c) => (
              <List.Item
                actions={editor ? [<Button key="h" size="small" type="link" onClick={() => hide(c.id, !c.hidden)}>{c.hidden ? t('announcements.unhide') : t('announcements.hide')}</Button>] : []}
              >
                <Space direction="vertical" size={0} style={{ opacity: c.hidden ? 0.5 : 1 }}>
                  <Typography.Text strong>{c.userName}{c.hidden && ` (${t('announcements.hidden')})`}</Typography.Text>
                  <Typography.Text style={{ wordBreak: 'break-word' }}>{c.text}</Typography.Text>
                  <Typography.Text type="secondary" style={{ fontSize: 12 }}>{formatTime(c.createdAt)}</Typography.Text>
                </Space>
              </List.Item>
            )}
          />
          {can('COMMENT') && (
            <Flex gap={8} style={{ marginTop: 8 }}>
              <Input.TextArea value={comment} onChange={(e) => setComment(e.target.value)} maxLength={500} autoSize={{ minRows: 1, maxRows: 4 }} placeholder={t('announcements.commentPlaceholder')} data-testid="announcement-comment-input" />
              <Button onClick={send} loading={busy} data-testid="announcement-comment-send">{t('announcements.send')}</Button>
            </Flex>
          )}
        </Card>
      )}
    </Flex>
  );
}
