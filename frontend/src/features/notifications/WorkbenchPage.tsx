// The workbench home: one's apps with live badges, one's inbox (live) and, for senders, what they sent and who has read it.
import { useState } from 'react';
import { Card, Tabs } from 'antd';
import { useTranslation } from 'react-i18next';
import { InboxList } from './InboxList';
import { SentList } from './SentList';
import { useWorkbench } from '../../app/workbench';
import { WorkbenchApps } from '../marketplace/WorkbenchApps';

export default function WorkbenchPage() {
  const { t } = useTranslation();
  const { me } = useWorkbench();
  const [tab, setTab] = useState('inbox');
  return (
    <>
    <WorkbenchApps />
    <Card title={me ? t('home.greeting', { name: me.realName }) : t('inbox.title')} styles={{ body: { paddingTop: 0 } }}>
      <Tabs
        activeKey={tab}
        onChange={setTab}
        items={[
          { key: 'inbox', label: t('inbox.title'), children: <InboxList /> },
          { key: 'sent', label: t('sent.title'), children: tab === 'sent' ? <SentList /> : null },
        ]}
      />
    </Card>
    </>
  );
}
