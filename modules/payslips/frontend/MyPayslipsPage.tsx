// 我的工资条: my published payslips, newest first; each opens its page (password again).
import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { MyPayslipsQuery, statusColor } from './operations';

export default function MyPayslipsPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [result, reexecute] = useQuery({ query: MyPayslipsQuery, requestPolicy: 'cache-and-network' });
  const rows = result.data?.myPayslips ?? [];
  return (
    <Card title={t('payslips.mine')} data-testid="payslips-mine">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={rows.length === 0}
        emptyText={t('payslips.none')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <List
          dataSource={rows}
          renderItem={(s) => (
            <List.Item onClick={() => navigate(`/payslips/${encodeURIComponent(s.id)}`)} style={{ cursor: 'pointer' }}
              data-testid="payslip-row" extra={<Tag color={statusColor[s.status]}>{t(`payslips.status.${s.status}`)}</Tag>}>
              <List.Item.Meta title={<Typography.Text strong>{s.title}</Typography.Text>} description={s.month} />
            </List.Item>
          )}
        />
      </QueryState>
    </Card>
  );
}
