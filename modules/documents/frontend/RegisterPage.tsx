// 收文登记: a paper or e-mailed document entered by the office (issuer, number, title,
// classification, urgency, deadline); it then waits for 拟办.
import { Button, Card, DatePicker, Form, Input, Select } from 'antd';
import type { Dayjs } from 'dayjs';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClient } from 'urql';
import type { DocumentClassification, DocumentUrgency } from '@workbench/gql/graphql';
import { RegisterIncomingDocumentMutation } from './operations';
import { useRun } from './run';

interface Values {
  issuer: string;
  number?: string;
  title: string;
  body?: string;
  classification: DocumentClassification;
  urgency: DocumentUrgency;
  deadline?: Dayjs;
}

export default function RegisterPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useClient();
  const { run, busy } = useRun();

  async function save(v: Values) {
    const input = { ...v, deadline: v.deadline ? v.deadline.format('YYYY-MM-DD') : null };
    const done = await run(
      client.mutation(RegisterIncomingDocumentMutation, { input }).toPromise(),
      (d: { registerIncomingDocument?: { errors: { message: string }[]; document?: { id: string } | null } }) => d.registerIncomingDocument,
      t('documents.registered'),
    );
    if (done?.document) navigate(`/documents/incoming/${encodeURIComponent(done.document.id)}`, { replace: true });
  }

  return (
    <Card title={t('documents.register')} data-testid="document-register">
      <Form layout="vertical" onFinish={save} initialValues={{ urgency: 'NORMAL', classification: 'PUBLIC' }} style={{ maxWidth: 720 }}>
        <Form.Item name="issuer" label={t('documents.fields.issuer')} rules={[{ required: true, message: t('documents.required') }]}>
          <Input maxLength={60} />
        </Form.Item>
        <Form.Item name="number" label={t('documents.fields.number')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="title" label={t('documents.fields.title')} rules={[{ required: true, message: t('documents.required') }]}>
          <Input maxLength={120} />
        </Form.Item>
        <Form.Item name="body" label={t('documents.fields.body')}>
          <Input.TextArea autoSize={{ minRows: 3, maxRows: 12 }} />
        </Form.Item>
        <Form.Item name="classification" label={t('documents.fields.classification')}>
          <Select options={(['PUBLIC', 'INTERNAL', 'RESTRICTED'] as const).map((c) => ({ value: c, label: t(`documents.classification.${c}`) }))} />
        </Form.Item>
        <Form.Item name="urgency" label={t('documents.fields.urgency')}>
          <Select options={(['NORMAL', 'URGENT', 'EXTRA'] as const).map((u) => ({ value: u, label: t(`documents.urgency.${u}`) }))} />
        </Form.Item>
        <Form.Item name="deadline" label={t('documents.fields.deadline')}>
          <DatePicker style={{ width: '100%' }} />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block>{t('documents.registerSave')}</Button>
      </Form>
    </Card>
  );
}
