// Read rate by department for the post's editors, live: every `announcementReadChanged` naming
// this post re-reads the figures (the server counts each reader once, from the receipts).
import { Flex, Progress, Statistic, Table } from 'antd';
import { useTranslation } from 'react-i18next';
import { useSubscription } from 'urql';
import type { AnnouncementFieldsFragment } from '@workbench/gql/graphql';
import { AnnouncementReadChangedSubscription } from './operations';

export function ReadRate({ post, onLive }: { post: AnnouncementFieldsFragment; onLive: () => void }) {
  const { t } = useTranslation();
  const [live] = useSubscription({ query: AnnouncementReadChangedSubscription }, (count: number = 0, event) => {
    if (event.announcementReadChanged.id === post.id) onLive();
    return count + 1;
  });
  if (post.status !== 'PUBLISHED') return null;
  const rate = post.recipientCount ? post.readCount / post.recipientCount : 0;
  return (
    <div data-testid="announcement-read-rate" data-read={post.readCount} data-live={live.data ?? 0}>
      <Flex gap={24} wrap align="center" style={{ marginBottom: 12 }}>
        <Statistic title={t('announcements.readCount')} value={post.readCount} suffix={`/ ${post.recipientCount}`} />
        <Progress type="circle" size={64} percent={Math.round(rate * 100)} />
      </Flex>
      <Table
        size="small"
        pagination={false}
        rowKey={(r) => r.departmentId ?? 'none'}
        dataSource={post.readByDepartment ?? []}
        scroll={{ x: 'max-content' }}
        columns={[
          { title: t('announcements.department'), dataIndex: 'name' },
          { title: t('announcements.readOfTotal'), key: 'n', render: (_v, r) => `${r.read} / ${r.total}` },
          { title: t('announcements.rate'), key: 'rate', width: 160, render: (_v, r) => <Progress percent={Math.round(r.rate * 100)} size="small" /> },
        ]}
      />
    </div>
  );
}
