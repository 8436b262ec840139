// The folders I may read, by category, with the tenant's space used; administrators add folders.
import { useState } from 'react';
import { Button, Card, Flex, List, Progress, Tag, Typography } from 'antd';
import { FolderOutlined, LockOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { FolderForm } from './FolderForm';
import { DriveFoldersQuery, formatBytes } from './operations';

export default function FoldersPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({ query: DriveFoldersQuery });
  const [adding, setAdding] = useState(false);
  const folders = result.data?.driveFolders ?? [];
  const usage = result.data?.driveUsage;
  const categories = [...new Set(folders.map((f) => f.category))];
  const open = (id: string) => navigate(`/drive/folders/${encodeURIComponent(id)}`);

  return (
    <Card
      title={t('drive.title')}
      data-testid="drive-folders"
      extra={usage?.canCreateFolders && <Button type="primary" icon={<PlusOutlined />} onClick={() => setAdding(true)} data-testid="drive-new-folder">{t('drive.newFolder')}</Button>}
    >
      {usage && (
        <Flex vertical gap={4} style={{ marginBottom: 16 }}>
          <Typography.Text type="secondary">{t('drive.usage', { used: formatBytes(usage.usedBytes), quota: formatBytes(usage.quotaBytes) })}</Typography.Text>
          <Progress percent={Math.min(100, Math.round((usage.usedBytes / Math.max(usage.quotaBytes, 1)) * 100))} size="small" />
        </Flex>
      )}
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={folders.length === 0} emptyText={t('drive.noFolders')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {categories.map((category) => (
          <div key={category} style={{ marginBottom: 16 }}>
            <Typography.Title level={5}>{category}</Typography.Title>
            <List
              bordered
              dataSource={folders.filter((f) => f.category === category)}
              renderItem={(f) => (
                <List.Item onClick={() => open(f.id)} style={{ cursor: 'pointer' }} data-testid="drive-folder">
                  <List.Item.Meta
                    avatar={f.restricted ? <LockOutlined style={{ color: '#fa541c', fontSize: 20 }} /> : <FolderOutlined style={{ color: '#1677ff', fontSize: 20 }} />}
                    title={<a>{f.name}</a>}
                    description={
                      <Flex wrap gap={4}>
                        <Tag>{f.unitName}</Tag>
                        {f.restricted && <Tag color="volcano">{t('drive.restrictedTag')}</Tag>}
                        <Typography.Text type="secondary">{t('drive.audience', { who: f.audienceSummary })}</Typography.Text>
                      </Flex>
                    }
                  />
                </List.Item>
              )}
            />
          </div>
        ))}
      </QueryState>
      <FolderForm open={adding} onClose={() => setAdding(false)} onCreated={(id) => { setAdding(false); open(id); }} />
    </Card>
  );
}
