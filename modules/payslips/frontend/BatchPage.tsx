// One batch (payroll office): who read and confirmed, the questions and their replies, withdraw
// (to correct and publish again). Amounts are never listed here.
import { Alert, Button, Card, Input, Space, Table, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';
import { statusColor } from './operations';

const BatchQuery = graphql(`
  query PayslipBatch($id: ID!) {
    node(id: $id) {
      id
      ... on PayslipBatch {
        title
        month
        status
        version
        withdrawReason
        payslips {
          id
          staffNo
          name
          status
          question
          reply
        }
      }
    }
  }
`);

const WithdrawMutation = graphql(`
  mutation WithdrawPayslips($input: WithdrawPayslipsInput!) {
    withdrawPayslips(input: $input) {
      batch {
        id
        status
      }
      errors {
        code
        message
      }
    }
  }
`);

const ReplyMutation = graphql(`
  mutation ReplyPayslipQuestion($input: ReplyPayslipQuestionInput!) {
    replyPayslipQuestion(input: $input) {
      payslip {
        id
        status
        reply
      }
      errors {
        code
        message
      }
    }
  }
`);

export default function BatchPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result, reexecute] = useQuery({ query: BatchQuery, variables: { id }, requestPolicy: 'cache-and-network' });
  const [, withdraw] = useMutation(WithdrawMutation);
  const [, reply] = useMutation(ReplyMutation);
  const [reason, setReason] = useState('');
  const [replies, setReplies] = useState<Record<string, string>>({});
  const [error, setError] = useState('');
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const batch = result.data?.node?.__typename === 'PayslipBatch' ? result.data.node : null;
  const show = (e: { message: string } | undefined, failure: { message: string } | undefined) => {
    setError(e?.message ?? failure?.message ?? '');
    refresh();
  };
  return (
    <Card title={batch ? `${batch.title}（v${batch.version}）` : t('payslips.batch')} data-testid="payslips-batch"
      extra={batch && <Tag>{t(`payslips.batchStatus.${batch.status}`)}</Tag>}>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!batch} isEmpty={!batch && !result.fetching}
        emptyText={t('payslips.notFound')} onRetry={refresh}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
        {batch?.withdrawReason && <Alert type="warning" showIcon title={t('payslips.withdrawnBecause', { reason: batch.withdrawReason })}
          style={{ marginBottom: 12 }} />}
        {batch?.status === 'PUBLISHED' && (
          <Space.Compact style={{ width: '100%', marginBottom: 12 }}>
            <Input value={reason} onChange={(e) => setReason(e.target.value)} placeholder={t('payslips.withdrawReason')} />
            <Button danger disabled={!reason.trim()} onClick={async () => {
              const r = await withdraw({ input: { batch: id, reason } });
              show(r.data?.withdrawPayslips?.errors?.[0], r.error);
            }}>{t('payslips.withdraw')}</Button>
          </Space.Compact>
        )}
        <Table size="small" rowKey="id" pagination={{ pageSize: 50 }} dataSource={batch?.payslips ?? []} scroll={{ x: true }}
          columns={[
            { title: t('payslips.staffNo'), dataIndex: 'staffNo' },
            { title: t('payslips.name'), dataIndex: 'name' },
            { title: t('payslips.state'), dataIndex: 'status', render: (v: string) => <Tag color={statusColor[v]}>{t(`payslips.status.${v}`)}</Tag> },
            { title: t('payslips.questionCol'), render: (_v, s) => s.status === 'QUESTIONED' ? (
              <Space direction="vertical" style={{ width: '100%' }}>
                <Typography.Text>{s.question}</Typography.Text>
                <Space.Compact style={{ width: '100%' }}>
                  <Input value={replies[s.id] ?? ''} onChange={(e) => setReplies({ ...replies, [s.id]: e.target.value })} />
                  <Button onClick={async () => {
                    const r = await reply({ input: { payslip: s.id, text: replies[s.id] ?? '' } });
                    show(r.data?.replyPayslipQuestion?.errors?.[0], r.error);
                  }}>{t('payslips.sendReply')}</Button>
                </Space.Compact>
              </Space>) : s.reply || s.question },
          ]} />
      </QueryState>
    </Card>
  );
}
