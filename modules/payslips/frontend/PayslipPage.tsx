// One payslip of mine: the sign-in password again (a grant valid for five minutes), then the pay
// items; confirm it, or ask the payroll office a question.
import { Alert, Button, Card, Descriptions, Input, Space, Tag, Typography } from 'antd';
import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import { useParams } from 'react-router';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { ConfirmMutation, GrantMutation, MyPayslipsQuery, OpenMutation, QuestionMutation, statusColor } from './operations';

interface Line {
  item: string;
  amount: string;
}

export default function PayslipPage() {
  const { t } = useTranslation();
  const { id = '' } = useParams();
  const [result, reexecute] = useQuery({ query: MyPayslipsQuery, requestPolicy: 'cache-and-network' });
  const [granting, grant] = useMutation(GrantMutation);
  const [, open] = useMutation(OpenMutation);
  const [confirming, confirm] = useMutation(ConfirmMutation);
  const [asking, ask] = useMutation(QuestionMutation);
  const [password, setPassword] = useState('');
  const [lines, setLines] = useState<Line[] | null>(null);
  const [question, setQuestion] = useState('');
  const [error, setError] = useState('');
  const slip = result.data?.myPayslips.find((s) => s.id === id);
  const refresh = () => reexecute({ requestPolicy: 'network-only' });

  const unlock = async () => {
    setError('');
    const g = await grant({ input: { password } });
    const token = g.data?.grantPayslipAccess?.grant;
    if (!token) {
      setError(g.data?.grantPayslipAccess?.errors?.[0]?.message ?? g.error?.message ?? '');
      return;
    }
    setPassword('');
    const o = await open({ input: { payslip: id, grant: token } });
    const got = o.data?.openPayslip?.lines;
    if (got) setLines(got);
    else setError(o.data?.openPayslip?.errors?.[0]?.message ?? o.error?.message ?? '');
    refresh();
  };
  const done = (e: { message: string } | undefined, failure: { message: string } | undefined) => {
    if (e || failure) setError(e?.message ?? failure?.message ?? '');
    refresh();
  };
  const act = async (kind: 'confirm' | 'ask') => {
    setError('');
    if (kind === 'confirm') {
      const r = await confirm({ input: { payslip: id } });
      done(r.data?.confirmPayslip?.errors?.[0], r.error);
    } else {
      const r = await ask({ input: { payslip: id, question } });
      done(r.data?.questionPayslip?.errors?.[0], r.error);
    }
  };

  return (
    <Card title={slip?.title ?? t('payslips.payslip')} data-testid="payslip-page"
      extra={slip && <Tag color={statusColor[slip.status]} data-testid="payslip-status">{t(`payslips.status.${slip.status}`)}</Tag>}>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!slip} isEmpty={!slip && !result.fetching}
        emptyText={t('payslips.notFound')} onRetry={refresh}>
        {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} data-testid="payslip-error" />}
        {!lines && (
          <Space direction="vertical" style={{ width: '100%' }}>
            <Typography.Paragraph>{t('payslips.passwordHint')}</Typography.Paragraph>
            <Input.Password value={password} onChange={(e) => setPassword(e.target.value)} onPressEnter={unlock}
              placeholder={t('payslips.password')} data-testid="payslip-password" autoComplete="current-password" />
            <Button type="primary" block size="large" onClick={unlock} loading={granting.fetching} disabled={!password}
              data-testid="payslip-unlock">{t('payslips.view')}</Button>
          </Space>
        )}
        {lines && slip && (
          <>
            <Descriptions column={1} size="small" bordered data-testid="payslip-lines">
              {lines.map((l) => (
                <Descriptions.Item key={l.item} label={l.item}>{l.amount || '—'}</Descriptions.Item>
              ))}
            </Descriptions>
            {slip.reply && <Alert type="info" showIcon style={{ marginTop: 12 }} title={t('payslips.reply', { text: slip.reply })} />}
            {(slip.status === 'READ' || slip.status === 'QUESTIONED') && (
              <Space direction="vertical" style={{ width: '100%', marginTop: 16 }}>
                <Button type="primary" block size="large" loading={confirming.fetching} onClick={() => act('confirm')}
                  data-testid="payslip-confirm">{t('payslips.confirm')}</Button>
                <Input.TextArea rows={2} maxLength={500} value={question} onChange={(e) => setQuestion(e.target.value)}
                  placeholder={t('payslips.questionPlaceholder')} data-testid="payslip-question" />
                <Button block onClick={() => act('ask')} loading={asking.fetching} disabled={!question.trim()}
                  data-testid="payslip-ask">{t('payslips.ask')}</Button>
              </Space>
            )}
            {slip.status === 'CONFIRMED' && <Alert type="success" showIcon style={{ marginTop: 12 }} title={t('payslips.confirmed')}
              data-testid="payslip-confirmed" />}
          </>
        )}
      </QueryState>
    </Card>
  );
}
