// 我的排班: my shifts of the coming month from published rosters, one line a day.
import { Card, List, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';

const MyShiftsQuery = graphql(`
  query MyShifts {
    myShifts {
      day
      start
      end
      departmentName
      shift {
        id
        name
        color
      }
    }
  }
`);

const hm = (iso: string) => new Date(iso).toLocaleTimeString('zh-CN', { hour: '2-digit', minute: '2-digit', hour12: false });

export default function MyShiftsPage() {
  const { t } = useTranslation();
  const [result, reexecute] = useQuery({ query: MyShiftsQuery, requestPolicy: 'cache-and-network' });
  const rows = result.data?.myShifts ?? [];
  return (
    <Card title={t('rosters.mine')} data-testid="rosters-mine">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={rows.length === 0}
        emptyText={t('rosters.noShifts')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <List dataSource={rows} renderItem={(s) => (
          <List.Item data-testid="rosters-shift" extra={<Tag color={s.shift.color}>{s.shift.name}</Tag>}>
            <List.Item.Meta title={<Typography.Text strong>{String(s.day)}</Typography.Text>}
              description={`${hm(s.start)}–${hm(s.end)} · ${s.departmentName}`} />
          </List.Item>
        )} />
      </QueryState>
    </Card>
  );
}
