// 拟文: a new 发文 on the red-header template — series (机关代字), title, body (one paragraph a
// line), 主送 and 抄送 (other units picked by name, people of this unit). Saved as a draft; the
// document page then sends it for 核稿, 会签 and 签发.
import { Alert, Button, Card, Form, Input, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useClient, useQuery } from 'urql';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import type { DocumentUrgency } from '@workbench/gql/graphql';
import { DocumentSeriesQuery, SaveOutgoingDocumentMutation } from './operations';
import { useRun } from './run';
import { UnitPicker } from './UnitPicker';

interface Values {
  series: string;
  title: string;
  body: string;
  urgency: DocumentUrgency;
  mainUnits?: string[];
  mainPeople?: string[];
  copyUnits?: string[];
  copyPeople?: string[];
}

const recipients = (units: string[] = [], people: string[] = []) => [
  ...units.map((tenant) => ({ tenant })),
  ...people.map((user) => ({ user })),
];

export default function DraftPage() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const client = useClient();
  const { run, busy } = useRun();
  const [series] = useQuery({ query: DocumentSeriesQuery });
  const [form] = Form.useForm<Values>();

  async function save(v: Values) {
    const input = {
      series: v.series, title: v.title, body: v.body, urgency: v.urgency,
      mainTo: recipients(v.mainUnits, v.mainPeople), copyTo: recipients(v.copyUnits, v.copyPeople),
    };
    const done = await run(
      client.mutation(SaveOutgoingDocumentMutation, { input }).toPromise(),
      (d: { saveOutgoingDocument?: { errors: { message: string }[]; document?: { id: string } | null } }) => d.saveOutgoingDocument,
      t('documents.saved'),
    );
    if (done?.document) navigate(`/documents/outgoing/${encodeURIComponent(done.document.id)}`, { replace: true });
  }

  return (
    <Card title={t('documents.draft')} data-testid="document-draft">
      {series.data && !series.data.documentSeries.length && <Alert type="info" showIcon title={t('documents.noSeries')} style={{ marginBottom: 12 }} data-testid="draft-no-series" />}
      <Form form={form} layout="vertical" onFinish={save} initialValues={{ urgency: 'NORMAL' }} style={{ maxWidth: 720 }}>
        <Form.Item name="series" label={t('documents.series')} rules={[{ required: true, message: t('documents.required') }]}>
          <Select
            data-testid="draft-series"
            options={(series.data?.documentSeries ?? []).map((s) => ({ value: s.id, label: `${s.code}（${s.issuer}）` }))}
          />
        </Form.Item>
        <Form.Item name="title" label={t('documents.fields.title')} rules={[{ required: true, message: t('documents.required') }]}>
          <Input maxLength={120} data-testid="draft-title" />
        </Form.Item>
        <Form.Item name="body" label={t('documents.fields.body')} extra={t('documents.bodyHint')} rules={[{ required: true, message: t('documents.required') }]}>
          <Input.TextArea autoSize={{ minRows: 5, maxRows: 16 }} data-testid="draft-body" />
        </Form.Item>
        <Form.Item name="urgency" label={t('documents.fields.urgency')}>
          <Select options={(['NORMAL', 'URGENT', 'EXTRA'] as const).map((u) => ({ value: u, label: t(`documents.urgency.${u}`) }))} />
        </Form.Item>
        <Form.Item name="mainUnits" label={t('documents.mainUnits')} extra={t('documents.unitsHint')}>
          <UnitPicker data-testid="draft-main-units" />
        </Form.Item>
        <Form.Item name="mainPeople" label={t('documents.mainPeople')}>
          <ContactPicker multiple data-testid="draft-main-people" />
        </Form.Item>
        <Form.Item name="copyUnits" label={t('documents.copyUnits')}>
          <UnitPicker data-testid="draft-copy-units" />
        </Form.Item>
        <Form.Item name="copyPeople" label={t('documents.copyPeople')}>
          <ContactPicker multiple data-testid="draft-copy-people" />
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} block data-testid="draft-save">
          {t('documents.saveDraft')}
        </Button>
      </Form>
    </Card>
  );
}
