// 门诊一周: a department's (schedulers pick one) or every clinic session of the seven days from a date; a 停诊/替诊
// request goes to the department head and the outpatient office for approval, and the session
// changes (and the lobby screen with it) only once they have approved.
import { useState } from 'react';
import { Alert, Button, Card, Form, Input, Modal, Radio, Space, Table, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '@workbench/gql';
import { QueryState } from '@workbench/components/QueryState';
import { ContactPicker } from '@workbench/features/org/ContactPicker';
import { DepartmentPicker } from '@workbench/features/org/DepartmentPicker';

const WeekQuery = graphql(`
  query ClinicWeek($start: Date!, $department: ID) {
    clinicSessions(start: $start, department: $department) {
      id
      day
      half
      departmentName
      doctor
      doctorName
      doctorTitle
      room
      quota
      status
      substituteFor
      pendingChange
    }
    clinicCanSchedule
    me {
      id
    }
  }
`);

const ChangeMutation = graphql(`
  mutation RequestClinicChange($input: RequestClinicChangeInput!) {
    requestClinicChange(input: $input) {
      status
      errors {
        field
        code
        message
      }
    }
  }
`);

type Kind = 'STOP' | 'SUBSTITUTE';
interface Values {
  kind: Kind;
  reason: string;
  substitute?: string;
  heads: string[];
  offices: string[];
}

const monday = () => {
  const d = new Date();
  d.setDate(d.getDate() - ((d.getDay() + 6) % 7));
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
};
const asList = (v: string | string[] | undefined) => (Array.isArray(v) ? v : v ? [v] : []);

export default function WeekPage() {
  const { t } = useTranslation();
  const [department, setDepartment] = useState<string>();
  const [start, setStart] = useState(monday());
  const [asking, setAsking] = useState<string>();
  const [error, setError] = useState('');
  const [notice, setNotice] = useState('');
  const [form] = Form.useForm<Values>();
  const valid = /^\d{4}-\d{2}-\d{2}$/.test(start);
  const [result, reexecute] = useQuery({ query: WeekQuery, variables: { start, department: department ?? null },
    pause: !valid, requestPolicy: 'cache-and-network' });
  const [, request] = useMutation(ChangeMutation);
  const rows = result.data?.clinicSessions ?? [];
  const can = !!result.data?.clinicCanSchedule;
  const me = result.data?.me?.id;
  const kind = Form.useWatch('kind', form);

  const submit = async (v: Values) => {
    if (!asking) return;
    const r = await request({ input: { session: asking, kind: v.kind, reason: v.reason,
      substitute: v.kind === 'SUBSTITUTE' ? v.substitute ?? null : null, heads: asList(v.heads), offices: asList(v.offices) } });
    const e = r.data?.requestClinicChange?.errors?.[0];
    setError(e?.message ?? r.error?.message ?? '');
    if (!e && !r.error) {
      setNotice(t('clinics.sent'));
      setAsking(undefined);
      form.resetFields();
    }
    reexecute({ requestPolicy: 'network-only' });
  };

  return (
    <Card title={t('clinics.week')} data-testid="clinics-week">
      <Space wrap style={{ marginBottom: 12 }}>
        {can && <div style={{ minWidth: 220 }}><DepartmentPicker value={department} onChange={(v) => setDepartment(v as string)} /></div>}
        <Input value={start} onChange={(e) => setStart(e.target.value)} style={{ width: 130 }} aria-label={t('clinics.start')} />
      </Space>
      {error && <Alert type="error" showIcon title={error} style={{ marginBottom: 12 }} />}
      {notice && <Alert type="success" showIcon title={notice} style={{ marginBottom: 12 }} />}
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} isEmpty={rows.length === 0}
        emptyText={t('clinics.none')} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <Table size="small" rowKey="id" pagination={false} dataSource={rows} scroll={{ x: true }} columns={[
          { title: t('clinics.day'), key: 'day', render: (_v, s) => `${String(s.day)} ${t(`clinics.half.${s.half}`)}` },
          { title: t('clinics.department'), dataIndex: 'departmentName' },
          { title: t('clinics.doctor'), key: 'doctor', render: (_v, s) => `${s.doctorName} ${s.doctorTitle}` },
          { title: t('clinics.room'), dataIndex: 'room' },
          { title: t('clinics.quota'), dataIndex: 'quota' },
          {
            title: t('clinics.status'), key: 'status', render: (_v, s) => (
              <Space size={4} wrap>
                <Tag color={s.status === 'STOPPED' ? 'red' : 'green'}>{t(`clinics.statuses.${s.status}`)}</Tag>
                {s.substituteFor && <Tag color="gold">{t('clinics.substituteFor', { name: s.substituteFor })}</Tag>}
                {s.pendingChange && <Tag>{t('clinics.pending', { kind: t(`clinics.kinds.${s.pendingChange}`) })}</Tag>}
              </Space>
            ),
          },
          {
            key: 'act', render: (_v, s) => s.status === 'OPEN' && !s.pendingChange && (can || s.doctor === me) ? (
              <Button size="small" onClick={() => { setAsking(s.id); setNotice(''); setError(''); }}>{t('clinics.ask')}</Button>
            ) : null,
          },
        ]} />
      </QueryState>
      <Modal open={!!asking} title={t('clinics.ask')} onCancel={() => setAsking(undefined)} onOk={() => form.submit()}
        okText={t('clinics.send')} destroyOnHidden>
        <Form form={form} layout="vertical" initialValues={{ kind: 'STOP' }} onFinish={submit}>
          <Form.Item name="kind" label={t('clinics.kind')}>
            <Radio.Group options={(['STOP', 'SUBSTITUTE'] as Kind[]).map((k) => ({ value: k, label: t(`clinics.kinds.${k}`) }))} />
          </Form.Item>
          <Form.Item name="reason" label={t('clinics.reason')} rules={[{ required: true, message: t('clinics.reasonRequired') }]}>
            <Input.TextArea maxLength={200} rows={2} />
          </Form.Item>
          {kind === 'SUBSTITUTE' && (
            <Form.Item name="substitute" label={t('clinics.substitute')} rules={[{ required: true, message: t('clinics.substituteRequired') }]}>
              <ContactPicker />
            </Form.Item>
          )}
          <Form.Item name="heads" label={t('clinics.heads')} rules={[{ required: true, message: t('clinics.approverRequired') }]}>
            <ContactPicker multiple />
          </Form.Item>
          <Form.Item name="offices" label={t('clinics.offices')} rules={[{ required: true, message: t('clinics.approverRequired') }]}>
            <ContactPicker multiple />
          </Form.Item>
        </Form>
      </Modal>
    </Card>
  );
}
