// 公告与新闻: tabs by column, search by title and body, pinned and 必读 first in sight; column
// administrators also see their columns' drafts and scheduled posts ("我管理的") and may publish.
import { useState } from 'react';
import { Badge, Button, Card, Flex, Input, List, Segmented, Tabs, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import type { AnnouncementView } from '@workbench/gql/graphql';
import { AnnouncementColumnsQuery, AnnouncementsQuery } from './operations';

export default function ListPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [column, setColumn] = useState('all');
  const [search, setSearch] = useState('');
  const [view, setView] = useState<AnnouncementView>('READABLE');
  const [columns] = useQuery({ query: AnnouncementColumnsQuery });
  const [result, reexecute] = useQuery({
    query: AnnouncementsQuery,
    variables: { view, column: column === 'all' ? null : column, search: search || null, first: 50 },
    requestPolicy: 'cache-and-network',
  });
  const canPublish = (columns.data?.announcementColumns ?? []).some((c) => c.canPublish);
  const posts = (result.data?.announcements.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
  return (
    <Card
      title={t('announcements.title')}
      data-testid="announcements-page"
      extra={
        canPublish && (
          <Button type="primary" icon={<PlusOutlined />} onClick={() => navigate('/announcements/new')} data-testid="announcement-new">
            {t('announcements.new')}
          </Button>
        )
      }
    >
      <Flex gap={8} wrap style={{ marginBottom: 8 }}>
        <Input.Search allowClear placeholder={t('announcements.search')} onSearch={setSearch} style={{ maxWidth: 320 }} data-testid="announcement-search" />
        {canPublish && (
          <Segmented<AnnouncementView>
            value={view}
            onChange={setView}
            options={[
              { value: 'READABLE', label: t('announcements.view.READABLE') },
              { value: 'REQUIRED_UNREAD', label: t('announcements.view.REQUIRED_UNREAD') },
              { value: 'EDITABLE', label: t('announcements.view.EDITABLE') },
            ]}
            data-testid="announcement-view"
          />
        )}
      </Flex>
      <Tabs
        activeKey={column}
        onChange={setColumn}
        items={[{ key: 'all', label: t('announcements.all') }, ...(columns.data?.announcementColumns ?? []).map((c) => ({ key: c.id, label: c.name }))]}
      />
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={posts.length === 0} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <List
          dataSource={posts}
          rowKey="id"
          data-testid="announcement-list"
          renderItem={(p) => (
            <List.Item onClick={() => navigate(`/announcements/posts/${encodeURIComponent(p.id)}`)} style={{ cursor: 'pointer' }} data-testid="announcement-item">
              <List.Item.Meta
                title={
                  <Flex gap={4} wrap align="center">
                    {p.status === 'PUBLISHED' && !p.readAt && view !== 'EDITABLE' && <Badge status="processing" />}
                    {p.pinned && <Tag color="gold">{t('announcements.pinned')}</Tag>}
                    {p.required && <Tag color="red">{t('announcements.required')}</Tag>}
                    {p.status !== 'PUBLISHED' && <Tag>{t(`announcements.status.${p.status}`)}</Tag>}
                    <Typography.Text strong>{p.title}</Typography.Text>
                  </Flex>
                }
                description={
                  <>
                    <Typography.Paragraph type="secondary" ellipsis={{ rows: 2 }} style={{ marginBottom: 4 }}>
                      {p.excerpt}
                    </Typography.Paragraph>
                    <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                      {p.column.name} · {p.authorName} · {formatTime(p.publishedAt ?? p.publishAt)}
                    </Typography.Text>
                  </>
                }
              />
            </List.Item>
          )}
        />
      </QueryState>
    </Card>
  );
}
