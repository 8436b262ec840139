// One confidential request as its two parties see it: kind, counsellor, status and time at a
// glance; the text and the reply behind an expand. The assigned counsellor or lawyer answers
// here (回复, or 回复并结束). Shared by 我的求助, the counselling desk and the notices' page.
import { App, Button, Card, Collapse, Descriptions, type DescriptionsProps, Form, Input, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { applyFieldErrors } from '@workbench/api/errors';
import { formatTime } from '@workbench/components/time';
import type { UnionConfidentialRequestsQuery as Q } from '@workbench/gql/graphql';
import { ReplyUnionConfidentialMutation } from './confidentialOperations';

export type ConfidentialRequest = Q['unionConfidentialRequests'][number];

const STATUS_COLOR: Record<string, string> = { open: 'orange', answered: 'blue', closed: 'default' };
const WRAP = { whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginBottom: 0 } as const;

function ReplyForm({ r }: { r: ConfidentialRequest }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ text: string }>();
  const [state, reply] = useMutation(ReplyUnionConfidentialMutation);

  async function send(close: boolean) {
    const values = await form.validateFields().catch(() => null);
    if (!values) return; // the form shows what is missing
    const res = await reply({ input: { request: r.id, text: values.text, close } });
    const errors = res.data?.replyUnionConfidential?.errors ?? [];
    if (res.error) message.error(res.error.message);
    else if (errors.length) {
      const general = applyFieldErrors(form, errors);
      if (general.length) message.error(general[0].message);
    } else message.success(t(close ? 'union.help.closedDone' : 'union.help.replied'));
  }

  return (
    <Form form={form} layout="vertical" initialValues={{ text: r.reply }} data-testid="union-confidential-reply-form">
      <Form.Item name="text" label={t('union.help.yourReply')} rules={[{ required: true, whitespace: true, message: t('union.required') }]}>
        <Input.TextArea autoSize={{ minRows: 3 }} maxLength={5000} data-testid="union-confidential-reply-text" />
      </Form.Item>
      <Space wrap>
        <Button type="primary" loading={state.fetching} onClick={() => void send(false)} data-testid="union-confidential-reply">
          {t('union.help.reply')}
        </Button>
        <Button loading={state.fetching} onClick={() => void send(true)} data-testid="union-confidential-reply-close">
          {t('union.help.replyClose')}
        </Button>
      </Space>
    </Form>
  );
}

export default function ConfidentialCard({ r, open = false }: { r: ConfidentialRequest; open?: boolean }) {
  const { t } = useTranslation();
  const details: DescriptionsProps['items'] = [
    { key: 'text', label: t('union.help.text'), children: <Typography.Paragraph style={WRAP}>{r.text}</Typography.Paragraph> },
    ...(r.contact ? [{ key: 'contact', label: t('union.help.contact'), children: r.contact }] : []),
    ...(r.clinic ? [{ key: 'clinic', label: t('union.womens.clinic'), children: String(t(`union.womens.clinics.${r.clinic}`, { defaultValue: r.clinic })) }] : []),
    ...(r.preferredDate ? [{ key: 'date', label: t('union.womens.date'), children: String(r.preferredDate) }] : []),
    {
      key: 'reply', label: t('union.help.replyOf', { name: r.counsellorName }),
      children: r.reply
        ? <Typography.Paragraph style={WRAP} data-testid="union-confidential-reply-shown">{r.reply}</Typography.Paragraph>
        : <Typography.Text type="secondary">{String(t('union.help.noReply'))}</Typography.Text>,
    },
  ];
  return (
    <Card size="small" data-testid="union-confidential-item" data-status={r.status}
      title={<span style={{ whiteSpace: 'normal', overflowWrap: 'anywhere' }}>{r.subject}</span>}
      extra={<Tag color={STATUS_COLOR[r.status]} data-testid="union-confidential-status">{t(`union.help.status.${r.status}`)}</Tag>}>
      <Space wrap size={4} style={{ marginBottom: 8 }}>
        <Tag color="purple">{t(`union.help.kinds.${r.kind}`)}</Tag>
        <Typography.Text type="secondary">
          {r.isMine ? t('union.help.assignedTo', { name: r.counsellorName }) : t('union.help.assignedToMe')} · {formatTime(r.createdAt)}
        </Typography.Text>
      </Space>
      <Collapse size="small" ghost defaultActiveKey={open ? ['body'] : []} items={[{
        key: 'body', label: t('union.help.show'),
        children: (
          <>
            <Descriptions size="small" column={1} layout="vertical" items={details} />
            {!r.isMine && r.status !== 'closed' && <ReplyForm r={r} />}
          </>
        ),
      }]} />
    </Card>
  );
}
