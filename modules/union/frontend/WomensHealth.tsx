// 育龄期女职工健康 inside the member's services tab: shown only to eligible members (women aged 18–49
// by their ID number, decided by the server): the articles as a collapse list and the green-channel
// fast-track request to one of the partner clinics. Works at 360 px.
import { useState } from 'react';
import { App, Button, Card, Collapse, DatePicker, Form, Input, Result, Select, Typography } from 'antd';
import dayjs, { type Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { applyFieldErrors } from '@workbench/api/errors';

export const UnionWomensHealthQuery = graphql(`
  query UnionWomensHealth {
    unionWomensHealth {
      eligible
      clinics {
        value
        label
      }
      articles {
        id
        title
        body
        clinic
      }
    }
  }
`);

export const RequestUnionFastTrackMutation = graphql(`
  mutation RequestUnionFastTrack($input: RequestUnionFastTrackInput!) {
    requestUnionFastTrack(input: $input) {
      request {
        id
        counsellorName
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

type Values = { clinic: string; preferredDate: Dayjs; text: string; contact?: string };

export default function WomensHealth() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [result] = useQuery({ query: UnionWomensHealthQuery });
  const [sending, send] = useMutation(RequestUnionFastTrackMutation);
  const [sent, setSent] = useState<string | null>(null);
  const d = result.data?.unionWomensHealth;
  if (!d?.eligible) return null;
  const clinic = (value: string) => t(`union.womens.clinics.${value}`, { defaultValue: d.clinics.find((c) => c.value === value)?.label ?? value });

  async function submit(v: Values) {
    const r = (await send({ input: { clinic: v.clinic, preferredDate: v.preferredDate.format('YYYY-MM-DD'), text: v.text, contact: v.contact ?? '' } })).data?.requestUnionFastTrack;
    if (r?.errors.length) {
      const general = applyFieldErrors(form, r.errors);
      if (general.length) message.error(general[0].message);
    } else if (r?.request) {
      setSent(t('union.womens.sent', { name: r.request.counsellorName }));
      form.resetFields();
    }
  }

  return (
    <Card size="small" title={t('union.womens.title')} data-testid="union-womens-health">
      <Typography.Paragraph type="secondary">{t('union.womens.hint')}</Typography.Paragraph>
      {d.articles.length > 0 && (
        <Collapse size="small" style={{ marginBottom: 12 }}
          items={d.articles.map((a) => ({
            key: a.id, label: `${a.title} · ${clinic(a.clinic)}`,
            children: <Typography.Paragraph style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere', marginBottom: 0 }}>{a.body}</Typography.Paragraph>,
          }))} />
      )}
      <Typography.Title level={5}>{t('union.womens.fastTrack')}</Typography.Title>
      {sent ? (
        <Result status="success" title={t('union.womens.sentTitle')} subTitle={sent} data-testid="union-fast-track-sent"
          style={{ padding: '16px 0' }} extra={<Button onClick={() => setSent(null)}>{t('union.womens.again')}</Button>} />
      ) : (
      <Form form={form} layout="vertical" onFinish={submit} data-testid="union-fast-track-form">
        <Form.Item name="clinic" label={t('union.womens.clinic')} rules={[{ required: true, message: t('union.required') }]}>
          <Select options={d.clinics.map((c) => ({ value: c.value, label: clinic(c.value) }))} />
        </Form.Item>
        <Form.Item name="preferredDate" label={t('union.womens.date')} rules={[{ required: true, message: t('union.required') }]}>
          <DatePicker style={{ width: '100%' }} inputReadOnly
            disabledDate={(day) => day.isBefore(dayjs(), 'day') || day.isAfter(dayjs().add(60, 'day'), 'day')} />
        </Form.Item>
        <Form.Item name="text" label={t('union.womens.text')} rules={[{ required: true, message: t('union.required') }]}>
          <Input.TextArea autoSize maxLength={5000} />
        </Form.Item>
        <Form.Item name="contact" label={t('union.womens.contact')}>
          <Input maxLength={100} />
        </Form.Item>
        <Button type="primary" htmlType="submit" block loading={sending.fetching}>{t('union.womens.submit')}</Button>
      </Form>
      )}
    </Card>
  );
}
