// Leaderboards: points earned and today's steps, the member's own line highlighted. On the
// member's page it is asked again whenever the member's balance changes (the page shows it).
import { useEffect, useRef, useState } from 'react';
import { List, Segmented, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { UnionLeaderboardQuery } from './operations';
import type { UnionLeaderboardKind } from '@workbench/gql/graphql';

export default function RankTab({ node, balance }: { node?: string; balance?: number }) {
  const { t } = useTranslation();
  const [kind, setKind] = useState<UnionLeaderboardKind>('POINTS');
  const [result, reexecute] = useQuery({ query: UnionLeaderboardQuery, variables: { kind, node }, requestPolicy: 'cache-and-network' });
  const shown = useRef(balance);
  useEffect(() => {
    if (balance === shown.current) return;
    shown.current = balance;
    reexecute({ requestPolicy: 'network-only' });
  }, [balance, reexecute]);
  return (
    <>
      <Segmented value={kind} onChange={(v) => setKind(v as UnionLeaderboardKind)} style={{ marginBottom: 8 }}
        options={[{ value: 'POINTS', label: t('union.byPoints') }, { value: 'STEPS', label: t('union.bySteps') }]} />
      <QueryState fetching={result.fetching && !result.data} error={result.error} hasData={!!result.data}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <List size="small" data-testid="union-leaderboard" dataSource={result.data?.unionLeaderboard ?? []}
          renderItem={(r) => (
            <List.Item style={r.isMe ? { background: '#e6f4ff' } : undefined}>
              <Typography.Text strong style={{ width: 32 }}>{r.rank}</Typography.Text>
              <span style={{ flex: 1 }}>{r.name} <Typography.Text type="secondary">· {r.nodeName}</Typography.Text>{r.isMe && <Tag color="blue" style={{ marginLeft: 4 }}>{t('union.me')}</Tag>}</span>
              <Typography.Text>{r.value}</Typography.Text>
            </List.Item>
          )} />
      </QueryState>
    </>
  );
}
