// A folder: its files (preview, download, versions), upload with progress and pause/resume for its
// managers, and the download log of a restricted folder (managers only; the server decides).
import { useState } from 'react';
import { App, Button, Card, Descriptions, Drawer, Flex, Grid, List, Result, Table, Tabs, Tag, Typography, Upload } from 'antd';
import { DeleteOutlined, DownloadOutlined, EyeOutlined, HistoryOutlined, UploadOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate, useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { useSignedLink } from '@workbench/api/signedLinks';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { DeleteDriveFileMutation, DriveFolderQuery, formatBytes } from './operations';
import { Preview } from './Preview';
import { Uploads } from './Uploads';
import { useDriveUploads } from './upload';

export default function FolderPage() {
  const { t } = useTranslation();
  const { message, modal } = App.useApp();
  const navigate = useNavigate();
  const id = decodeURIComponent(useParams().id ?? '');
  const [result, reexecute] = useQuery({ query: DriveFolderQuery, variables: { id } });
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const { items, start, pause, resume } = useDriveUploads(id, refresh);
  const [, remove] = useMutation(DeleteDriveFileMutation);
  const open = useSignedLink();
  const [preview, setPreview] = useState<{ path: string; name: string; isPdf: boolean } | null>(null);
  const [versionsOf, setVersionsOf] = useState<string | null>(null);
  const folder = result.data?.driveFolder;
  const wide = Grid.useBreakpoint().sm;
  const versionFile = folder?.files.find((f) => f.id === versionsOf);

  function confirmDelete(fileId: string, name: string) {
    modal.confirm({
      title: t('drive.deleteConfirm', { name }),
      okButtonProps: { danger: true },
      onOk: async () => {
        const r = await remove({ input: { file: fileId } });
        if (r.error || r.data?.deleteDriveFile?.errors.length) message.error(r.data?.deleteDriveFile?.errors[0]?.message ?? t('drive.failed'));
        refresh();
      },
    });
  }

  const files = folder && (
    <List
      itemLayout={wide ? 'horizontal' : 'vertical'}
      dataSource={folder.files}
      locale={{ emptyText: t('drive.noFiles') }}
      renderItem={(f) => (
        <List.Item
          data-testid="drive-file"
          actions={[
            f.current.previewPath && <Button key="p" size="small" icon={<EyeOutlined />} onClick={() => setPreview({ path: f.current.previewPath!, name: f.name, isPdf: f.current.contentType === 'application/pdf' })} data-testid="drive-preview">{t('drive.preview')}</Button>,
            <Button key="d" size="small" icon={<DownloadOutlined />} onClick={() => open(f.current.downloadPath, 'download')} data-testid="drive-download">{t('drive.download')}</Button>,
            <Button key="v" size="small" icon={<HistoryOutlined />} onClick={() => setVersionsOf(f.id)}>{t('drive.versions', { n: f.versions.length })}</Button>,
            folder.canManage && (
              <Upload key="n" showUploadList={false} beforeUpload={(file) => { void start(file, f.id); return false; }}>
                <Button size="small" icon={<UploadOutlined />} data-testid="drive-new-version">{t('drive.newVersion')}</Button>
              </Upload>
            ),
            folder.canManage && <Button key="x" size="small" danger icon={<DeleteOutlined />} onClick={() => confirmDelete(f.id, f.name)} />,
          ].filter(Boolean)}
        >
          <List.Item.Meta
            title={<Typography.Text ellipsis style={{ maxWidth: '100%' }}>{f.name}</Typography.Text>}
            description={`${formatBytes(f.current.size)} · v${f.current.number} · ${f.current.uploadedByName} · ${formatTime(f.current.createdAt)}`}
          />
        </List.Item>
      )}
    />
  );

  return (
    <Card title={folder?.name ?? t('drive.title')} data-testid="drive-folder-page" extra={<Button onClick={() => navigate('/drive')}>{t('drive.allFolders')}</Button>}>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={!folder}
        emptyText={<Result status="404" title={t('drive.noAccess')} data-testid="drive-no-access" />} onRetry={refresh}>
        {folder && (
          <>
            <Descriptions size="small" column={{ xs: 1, sm: 2 }} style={{ marginBottom: 12 }}>
              <Descriptions.Item label={t('drive.category')}>{folder.category}</Descriptions.Item>
              <Descriptions.Item label={t('drive.unit')}>{folder.unitName}</Descriptions.Item>
              <Descriptions.Item label={t('drive.readers')}>
                <Flex wrap gap={4}>{folder.restricted && <Tag color="volcano">{t('drive.restrictedTag')}</Tag>}{folder.audienceSummary}</Flex>
              </Descriptions.Item>
              <Descriptions.Item label={t('drive.managers')}>{folder.managerNames.join('、')}</Descriptions.Item>
            </Descriptions>
            {folder.canManage && (
              <Upload multiple showUploadList={false} beforeUpload={(file) => { void start(file); return false; }}>
                <Button type="primary" icon={<UploadOutlined />} style={{ marginBottom: 12 }} data-testid="drive-upload-button">{t('drive.upload')}</Button>
              </Upload>
            )}
            <Uploads items={items} pause={pause} resume={resume} />
            {folder.downloads ? (
              <Tabs onChange={(key) => key === 'log' && refresh()} items={[
                { key: 'files', label: t('drive.files'), children: files },
                { key: 'log', label: t('drive.downloadLog'), children: (
                  <Table size="small" rowKey={(r) => `${r.at}-${r.userName}-${r.fileName}`} dataSource={folder.downloads} pagination={{ pageSize: 20 }} scroll={{ x: true }} data-testid="drive-log"
                    columns={[
                      { title: t('drive.when'), dataIndex: 'at', render: (v: string) => formatTime(v) },
                      { title: t('drive.who'), dataIndex: 'userName' },
                      { title: t('drive.file'), dataIndex: 'fileName', render: (v: string, r) => `${v} v${r.versionNumber}` },
                      { title: t('drive.how'), dataIndex: 'kind', render: (v: string) => t(`drive.kind.${v}`) },
                    ]} />
                ) },
              ]} />
            ) : files}
          </>
        )}
      </QueryState>
      <Preview path={preview?.path ?? null} name={preview?.name ?? ''} isPdf={!!preview?.isPdf} onClose={() => { setPreview(null); refresh(); }} />
      <Drawer open={!!versionFile} title={versionFile?.name} onClose={() => setVersionsOf(null)} size="default">
        <List
          dataSource={versionFile?.versions ?? []}
          renderItem={(v) => (
            <List.Item actions={[<Button key="d" size="small" icon={<DownloadOutlined />} onClick={() => open(v.downloadPath, 'download')}>{t('drive.download')}</Button>]}>
              <List.Item.Meta title={`v${v.number}`} description={`${formatBytes(v.size)} · ${v.uploadedByName} · ${formatTime(v.createdAt)}`} />
            </List.Item>
          )}
        />
      </Drawer>
    </Card>
  );
}
