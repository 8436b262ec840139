// 福利慰问: each open campaign's options; the member's choice can change until the close.
import { App, Card, Empty, Radio, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { ChooseUnionWelfareMutation, UnionWelfareQuery } from './operations';

export default function WelfareTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, reexecute] = useQuery({ query: UnionWelfareQuery, requestPolicy: 'cache-and-network' });
  const [, choose] = useMutation(ChooseUnionWelfareMutation);
  const list = result.data?.unionWelfareCampaigns ?? [];

  async function pick(campaign: string, option: string) {
    const r = (await choose({ input: { campaign, option } })).data?.chooseUnionWelfare;
    if (r?.errors.length) message.error(r.errors[0].message);
    else message.success(t('union.chosen'));
    reexecute({ requestPolicy: 'network-only' });
  }

  return (
    <QueryState fetching={result.fetching && !result.data} error={result.error} hasData={!!result.data}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {list.length === 0 && <Empty description={t('union.noCampaigns')} />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {list.map((c) => (
          <Card key={c.id} size="small" title={c.title} data-testid="union-campaign"
            extra={<Tag color={c.isOpen ? 'green' : undefined}>{c.isOpen ? t('union.closesAt', { at: formatTime(c.closesAt) }) : t('union.closed')}</Tag>}>
            {c.description && <Typography.Paragraph type="secondary">{c.description}</Typography.Paragraph>}
            <Radio.Group value={c.myOptionId} disabled={!c.isOpen} onChange={(e) => pick(c.id, e.target.value)}>
              <Space direction="vertical">
                {c.options.map((o) => (
                  <Radio key={o.id} value={o.id}>
                    <span data-testid="union-option">
                      {o.name} <Typography.Text type="secondary">· {o.supplier}</Typography.Text>
                      {o.count != null && <Tag style={{ marginLeft: 8 }}>{t('union.count', { n: o.count })}</Tag>}
                    </span>
                  </Radio>
                ))}
              </Space>
            </Radio.Group>
            {c.myOptionId && <div style={{ marginTop: 8 }}><Tag color="green" data-testid="union-my-choice">{t('union.myChoice', { name: c.options.find((o) => o.id === c.myOptionId)?.name })}</Tag></div>}
          </Card>
        ))}
      </Space>
    </QueryState>
  );
}
