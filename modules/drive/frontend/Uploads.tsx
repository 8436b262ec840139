// Uploads in progress with their progress bars and pause / resume.
import { Button, List, Progress, Typography } from 'antd';
import { PauseOutlined, CaretRightOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import type { UploadItem } from './upload';
import { formatBytes } from './operations';

export function Uploads({ items, pause, resume }: { items: UploadItem[]; pause: (key: string) => void; resume: (key: string) => void }) {
  const { t } = useTranslation();
  if (items.length === 0) return null;
  return (
    <List
      size="small"
      style={{ marginBottom: 16 }}
      dataSource={items}
      renderItem={(u) => (
        <List.Item
          data-testid="drive-upload"
          data-status={u.status}
          actions={[
            u.status === 'uploading' && <Button key="pause" size="small" icon={<PauseOutlined />} onClick={() => pause(u.key)} data-testid="drive-pause">{t('drive.pause')}</Button>,
            (u.status === 'paused' || u.status === 'error') && <Button key="resume" size="small" icon={<CaretRightOutlined />} onClick={() => resume(u.key)} data-testid="drive-resume">{t('drive.resume')}</Button>,
          ].filter(Boolean)}
        >
          <div style={{ width: '100%', minWidth: 0 }}>
            <Typography.Text ellipsis style={{ maxWidth: '100%' }}>{u.name}</Typography.Text>
            <Progress percent={Math.floor((u.sent / Math.max(u.size, 1)) * 100)} status={u.status === 'error' ? 'exception' : u.status === 'done' ? 'success' : 'active'} size="small" data-testid="drive-progress" />
            <Typography.Text type={u.status === 'error' ? 'danger' : 'secondary'} style={{ fontSize: 12 }}>
              {u.status === 'error' ? u.error : `${formatBytes(u.sent)} / ${formatBytes(u.size)} · ${t(`drive.status.${u.status}`)}`}
            </Typography.Text>
          </div>
        </List.Item>
      )}
    />
  );
}
