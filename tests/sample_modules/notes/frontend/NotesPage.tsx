// The sample module's page. It needs no GraphQL of its own (the checked-in schema has no sample
// module's fields): it shows what the shell tells every module — who is reading and what they
// may do here.
import { Card, Descriptions, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useAccess } from '@workbench/app/access';
import { useWorkbench } from '@workbench/app/workbench';

export default function NotesPage() {
  const { t } = useTranslation();
  const { me } = useWorkbench();
  const access = useAccess();
  return (
    <Card title={t('notes.title', { name: me?.realName ?? '' })} data-testid="notes-page">
      <Descriptions column={1} size="small">
        <Descriptions.Item label={t('notes.installed')}>
          <Tag color="green" data-testid="notes-installed">{access.installedApps.has('notes') ? t('notes.yes') : t('notes.no')}</Tag>
        </Descriptions.Item>
        <Descriptions.Item label={t('notes.canWrite')}>{access.permissionsWithin.has('notes.write') ? t('notes.yes') : t('notes.no')}</Descriptions.Item>
      </Descriptions>
    </Card>
  );
}
