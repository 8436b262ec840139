// A campaign's leaderboards: departments by average points per participant, then people by points.
import { Table, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import type { LearningQuizCampaignsQuery } from '@workbench/gql/graphql';

type Campaign = Pick<LearningQuizCampaignsQuery['learningQuizCampaigns'][number], 'departments' | 'people'>;

export default function Leaderboard({ campaign }: { campaign: Campaign }) {
  const { t } = useTranslation();
  return (
    <div data-testid="learning-leaderboard">
      <Typography.Title level={5}>{t('learning.byDepartment')}</Typography.Title>
      <Table size="small" pagination={false} rowKey="departmentName" dataSource={campaign.departments}
        columns={[
          { title: '#', render: (_v, _r, i) => i + 1, width: 40 },
          { title: t('learning.department'), dataIndex: 'departmentName' },
          { title: t('learning.average'), dataIndex: 'average' },
          { title: t('learning.participants'), dataIndex: 'participants' },
        ]} />
      <Typography.Title level={5} style={{ marginTop: 16 }}>{t('learning.byPerson')}</Typography.Title>
      <Table size="small" pagination={false} rowKey={(r) => `${r.userName}-${r.departmentName}`} dataSource={campaign.people}
        columns={[
          { title: '#', render: (_v, _r, i) => i + 1, width: 40 },
          { title: t('learning.name'), dataIndex: 'userName' },
          { title: t('learning.department'), dataIndex: 'departmentName', responsive: ['sm'] },
          { title: t('learning.points'), dataIndex: 'total' },
        ]} />
    </div>
  );
}
