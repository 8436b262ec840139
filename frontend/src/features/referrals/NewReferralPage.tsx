// A new referral: the patient, the clinical summary, where to (unit, desk and a day with free
// slots) and attachments. Saved as a draft, the files attached, then submitted; every problem
// the server finds shows on its field.
import { useMemo, useState } from 'react';
import { App, Button, Card, Checkbox, Col, DatePicker, Form, Input, Row, Select, Upload } from 'antd';
import type { UploadFile } from 'antd';
import { PaperClipOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useNavigate } from 'react-router';
import { useMutation, useQuery, useClient } from 'urql';
import { graphql } from '../../gql';
import type { PatientSex, ReferralUrgency } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { SearchSelect } from '../../components/SearchSelect';
import { useWorkbench } from '../../app/workbench';
import { useSession } from '../../session/session';
import { ReferralDesksQuery, ReferralTargetsQuery } from './operations';
import { STEPS } from './steps';
import { SlotPicker } from './SlotPicker';

const CreateReferralMutation = graphql(`
  mutation CreateReferral($input: CreateReferralInput!) {
    createReferral(input: $input) {
      referral {
        id
        number
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const AddAttachmentMutation = graphql(`
  mutation AddReferralAttachment($input: AddReferralAttachmentInput!) {
    addReferralAttachment(input: $input) {
      attachment {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Values {
  fromUnit: string;
  toUnit: string;
  toDesk?: number;
  wishedDate?: string;
  patientName: string;
  patientSex: PatientSex;
  patientBirthDate?: { format: (template: string) => string };
  urgency: ReferralUrgency;
  reason: string;
  diagnosisCode?: string;
  diagnosisText?: string;
  consent: boolean;
}

function readBase64(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

export default function NewReferralPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const navigate = useNavigate();
  const { me } = useWorkbench();
  const { tenant } = useSession();
  const [form] = Form.useForm<Values>();
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [files, setFiles] = useState<UploadFile[]>([]);
  const [busy, setBusy] = useState(false);
  const toUnit = Form.useWatch('toUnit', form);
  const toDesk = Form.useWatch('toDesk', form);
  const [, create] = useMutation(CreateReferralMutation);
  const [, attach] = useMutation(AddAttachmentMutation);
  const client = useClient();

  const myUnits = useMemo(
    () => (me?.memberships ?? []).filter((m) => m.tenant.slug === tenant && m.unit).map((m) => ({ value: m.unit!.id, label: m.unit!.name })),
    [me, tenant],
  );
  const [desks] = useQuery({ query: ReferralDesksQuery, variables: { unit: toUnit ?? '' }, pause: !toUnit });

  async function submit(values: Values) {
    setProblems([]);
    setBusy(true);
    try {
      const created = await create({
        input: {
          fromUnit: values.fromUnit,
          toUnit: values.toUnit,
          toDesk: values.toDesk ?? null,
          wishedDate: values.wishedDate ?? null,
          patientName: values.patientName,
          patientSex: values.patientSex,
          patientBirthDate: values.patientBirthDate?.format('YYYY-MM-DD') ?? null,
          urgency: values.urgency,
          reason: values.reason,
          diagnosisCode: values.diagnosisCode || null,
          diagnosisText: values.diagnosisText || null,
          consent: values.consent,
        },
      });
      if (created.error) return setProblems([{ code: 'REQUEST', message: errorText(created.error) }]);
      const payload = created.data?.createReferral;
      if (payload?.errors.length || !payload?.referral) return setProblems(applyFieldErrors(form, payload?.errors ?? []));
      const id = payload.referral.id;
      for (const f of files) {
        if (!f.originFileObj) continue;
        const added = await attach({ input: { referral: id, filename: f.name, contentType: f.type || 'application/pdf', data: await readBase64(f.originFileObj) } });
        const problem = added.error ? errorText(added.error) : added.data?.addReferralAttachment?.errors[0]?.message;
        if (problem) return setProblems(applyFieldErrors(form, [{ field: 'attachments', code: 'ATTACHMENT', message: `${f.name}：${problem}` }]));
      }
      const submitted = await STEPS.SUBMIT.run(client, id, {});
      if (submitted.error || submitted.errors.length) {
        message.warning(t('referrals.savedAsDraft'));
        return setProblems(submitted.error ? [{ code: 'SUBMIT', message: errorText(submitted.error) }] : applyFieldErrors(form, submitted.errors));
      }
      message.success(t('referrals.submitted', { number: payload.referral.number }));
      navigate('/referrals?box=OUTGOING');
    } finally {
      setBusy(false);
    }
  }

  const required = [{ required: true, message: t('common.required') }];
  return (
    <Card title={t('referrals.newTitle')}>
      <FormErrors errors={problems} />
      <Form<Values>
        form={form}
        layout="vertical"
        onFinish={submit}
        scrollToFirstError
        data-testid="referral-form"
        initialValues={{ fromUnit: myUnits[0]?.value, urgency: 'ROUTINE', consent: false }}
      >
        <Row gutter={16}>
          <Col xs={24} md={12}>
            <Form.Item name="fromUnit" label={t('referrals.fromUnit')} rules={required}>
              <Select options={myUnits} />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="toUnit" label={t('referrals.toUnit')} rules={required}>
              <SearchSelect
                query={ReferralTargetsQuery}
                variables={(search) => ({ search, first: 30 })}
                pause={(search) => !search}
                toOptions={(data) => data.referralTargets.edges.flatMap((e) => (e?.node ? [{ value: e.node.id, label: e.node.name }] : []))}
                placeholder={t('referrals.toUnitPlaceholder')}
                onChange={() => form.setFieldsValue({ toDesk: undefined, wishedDate: undefined })}
              />
            </Form.Item>
          </Col>
          <Col xs={24} md={12}>
            <Form.Item name="toDesk" label={t('referrals.toDesk')}>
              <Select
                allowClear
                disabled={!toUnit}
                loading={desks.fetching}
                options={(desks.data?.referralDesks ?? []).map((d) => ({ value: d.id, label: d.name }))}
                onChange={() => form.setFieldsValue({ wishedDate: undefined })}
              />
            </Form.Item>
          </Col>
        </Row>
        {toUnit && toDesk != null && (
          <Form.Item name="wishedDate" label={t('referrals.wishedDate')}>
            <SlotPicker unit={toUnit} desk={toDesk} />
          </Form.Item>
        )}
        <Row gutter={16}>
          <Col xs={24} md={8}>
            <Form.Item name="patientName" label={t('referrals.patientName')} rules={required}>
              <Input />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={8}>
            {/* no default: a preselected sex goes through unread */}
            <Form.Item name="patientSex" label={t('referrals.patientSex')} rules={required}>
              <Select placeholder={t('referrals.pickSex')} options={(['MALE', 'FEMALE', 'UNKNOWN'] as const).map((s) => ({ value: s, label: t(`sex.${s}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={24} sm={12} md={8}>
            <Form.Item name="patientBirthDate" label={t('referrals.patientBirthDate')} rules={required}>
              <DatePicker style={{ width: '100%' }} />
            </Form.Item>
          </Col>
          <Col xs={24} md={8}>
            <Form.Item name="urgency" label={t('referrals.urgency')}>
              <Select options={(['ROUTINE', 'URGENT', 'EMERGENCY'] as const).map((u) => ({ value: u, label: t(`urgency.${u}`) }))} />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="diagnosisCode" label={t('referrals.diagnosisCode')} rules={required}>
              <Input placeholder="I20.0" />
            </Form.Item>
          </Col>
          <Col xs={12} md={8}>
            <Form.Item name="diagnosisText" label={t('referrals.diagnosisText')} rules={required}>
              <Input />
            </Form.Item>
          </Col>
        </Row>
        <Form.Item name="reason" label={t('referrals.reason')} rules={required}>
          <Input.TextArea rows={3} />
        </Form.Item>
        <Form.Item name="attachments" label={t('referrals.attachments')} extra={t('referrals.attachmentsHint')}>
          <Upload accept=".pdf,.jpg,.jpeg,.png" multiple fileList={files} beforeUpload={() => false} onChange={({ fileList }) => setFiles(fileList)}>
            <Button icon={<PaperClipOutlined />} data-testid="add-attachment">
              {t('referrals.addAttachment')}
            </Button>
          </Upload>
        </Form.Item>
        <Form.Item name="consent" valuePropName="checked">
          <Checkbox>{t('referrals.consent')}</Checkbox>
        </Form.Item>
        <Button type="primary" htmlType="submit" loading={busy} data-testid="submit-referral">
          {t('referrals.submit')}
        </Button>
      </Form>
    </Card>
  );
}
