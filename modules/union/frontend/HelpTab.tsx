// 我的求助 in the member's phone page: ask for 心理咨询 or 法律帮扶 (only the assigned counsellor or
// lawyer reads it), and every request she wrote — the green channel's too — with its status and
// the reply (first, above the form), so nothing is lost on a reload.
import { App, Alert, Button, Card, Empty, Form, Input, Radio, Space, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { applyFieldErrors } from '@workbench/api/errors';
import { QueryState } from '@workbench/components/QueryState';
import { CONFIDENTIAL_CONTEXT, SubmitUnionConfidentialMutation, useConfidentialRequests } from './confidentialOperations';
import ConfidentialCard from './ConfidentialCard';

type Values = { kind: string; subject: string; text: string; contact?: string };

export default function HelpTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [result, reexecute] = useConfidentialRequests();
  const [sending, send] = useMutation(SubmitUnionConfidentialMutation);
  const mine = result.data?.unionConfidentialRequests.filter((r) => r.isMine) ?? [];

  async function submit(v: Values) {
    const r = await send({ input: { ...v, contact: v.contact ?? '' } }, CONFIDENTIAL_CONTEXT);
    const errors = r.data?.submitUnionConfidential?.errors ?? [];
    if (r.error) message.error(r.error.message);
    else if (errors.length) {
      const general = applyFieldErrors(form, errors);
      if (general.length) message.error(general[0].message);
    } else {
      message.success(t('union.help.sent', { name: r.data?.submitUnionConfidential?.request?.counsellorName }));
      form.resetFields();
      reexecute({ requestPolicy: 'network-only' });
    }
  }

  return (
    <Space direction="vertical" style={{ width: '100%' }} data-testid="union-help">
      <Typography.Title level={5}>{t('union.help.mine')}</Typography.Title>
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {mine.length === 0 ? <Empty image={Empty.PRESENTED_IMAGE_SIMPLE} description={t('union.help.none')} /> : mine.map((r) => <ConfidentialCard key={r.id} r={r} />)}
      </QueryState>
      <Card size="small" title={t('union.help.ask')}>
        <Alert type="info" showIcon style={{ marginBottom: 12 }} title={t('union.help.private')} />
        <Form form={form} layout="vertical" onFinish={submit} initialValues={{ kind: 'counselling' }} data-testid="union-help-form">
          <Form.Item name="kind" label={t('union.help.kind')} rules={[{ required: true, message: t('union.required') }]}>
            <Radio.Group optionType="button" options={['counselling', 'legal'].map((k) => ({ value: k, label: t(`union.help.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="subject" label={t('union.help.subject')} rules={[{ required: true, whitespace: true, message: t('union.required') }]}>
            <Input maxLength={100} data-testid="union-help-subject" />
          </Form.Item>
          <Form.Item name="text" label={t('union.help.text')} rules={[{ required: true, whitespace: true, message: t('union.required') }]}>
            <Input.TextArea autoSize={{ minRows: 3 }} maxLength={5000} data-testid="union-help-text" />
          </Form.Item>
          <Form.Item name="contact" label={t('union.help.contactOptional')}>
            <Input maxLength={100} />
          </Form.Item>
          <Button type="primary" htmlType="submit" block loading={sending.fetching} data-testid="union-help-submit">{t('union.help.submit')}</Button>
        </Form>
      </Card>
    </Space>
  );
}
