// 咨询工作台: the requests assigned to a counsellor, lawyer or green-channel coordinator — open
// ones first — to read and answer. Nobody else's requests ever reach this page (the server sends
// only the caller's own).
import { Empty, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { QueryState } from '@workbench/components/QueryState';
import { useConfidentialRequests } from './confidentialOperations';
import ConfidentialCard from './ConfidentialCard';

const ORDER: Record<string, number> = { open: 0, answered: 1, closed: 2 };

export default function CounselPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useConfidentialRequests();
  const assigned = (result.data?.unionConfidentialRequests.filter((r) => !r.isMine) ?? [])
    .sort((a, b) => ORDER[a.status] - ORDER[b.status]);
  return (
    <div style={{ maxWidth: 720, margin: '0 auto' }} data-testid="union-counsel">
      <Typography.Title level={4}>{t('union.help.desk')}</Typography.Title>
      <Typography.Paragraph type="secondary">{t('union.help.deskHint')}</Typography.Paragraph>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <Space direction="vertical" style={{ width: '100%' }}>
          {assigned.length === 0 ? <Empty description={t('union.help.noneAssigned')} />
            : assigned.map((r) => <ConfidentialCard key={r.id} r={r} open={r.status === 'open'} />)}
        </Space>
      </QueryState>
    </div>
  );
}
