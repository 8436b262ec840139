// The member's 调查问卷, 慰问申请, 社团协会 and 职工影院 in one tab (360 px first). A survey's form
// is the approvals' JSON Schema: choices as radios or checkboxes, numbers, texts.
import { App, Button, Card, Checkbox, Empty, Form, Input, InputNumber, Radio, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import {
  AnswerUnionSurveyMutation, EnterUnionScreeningMutation, JoinUnionClubMutation, ReviewUnionClubMemberMutation,
  SubmitUnionCondolenceMutation, UnionCareQuery,
} from './operations';
import WomensHealth from './WomensHealth';

type Prop = { title?: string; type?: string; enum?: string[]; items?: { enum?: string[] }; maxLength?: number };
type Schema = { properties?: Record<string, Prop>; required?: string[] };
type Errors = { field?: string | null; message: string }[] | undefined;

// Form.Item hands `value` and `onChange` to its child; pass them on to the real input.
function Field({ prop, ...control }: { prop: Prop; value?: unknown; onChange?: (v: unknown) => void }) {
  const props = control as Record<string, never>;
  if (prop.enum) return <Radio.Group {...props} options={prop.enum.map((v) => ({ label: v, value: v }))} />;
  if (prop.items?.enum) return <Checkbox.Group {...props} options={prop.items.enum.map((v) => ({ label: v, value: v }))} />;
  if (prop.type === 'number' || prop.type === 'integer') return <InputNumber {...props} style={{ width: '100%' }} />;
  return <Input.TextArea {...props} autoSize maxLength={prop.maxLength} />;
}

function SurveyForm({ id, schema, onDone }: { id: string; schema: Schema; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm();
  const [state, answer] = useMutation(AnswerUnionSurveyMutation);
  async function submit(values: Record<string, unknown>) {
    const clean = Object.fromEntries(Object.entries(values).filter(([, v]) => v !== undefined && v !== ''));
    const r = (await answer({ input: { survey: id, answers: JSON.stringify(clean) } })).data?.answerUnionSurvey;
    if (r?.errors.length) {
      form.setFields(r.errors.filter((e) => e.field?.startsWith('answers.')).map((e) => ({ name: e.field!.split('.')[1], errors: [e.message] })));
      message.error(r.errors[0].message);
    } else {
      message.success(t('union.care.thanks'));
      onDone();
    }
  }
  return (
    <Form form={form} layout="vertical" onFinish={submit} data-testid="union-survey-form">
      {Object.entries(schema.properties ?? {}).map(([key, prop]) => (
        <Form.Item key={key} name={key} label={prop.title ?? key}
          rules={schema.required?.includes(key) ? [{ required: true, message: t('union.required') }] : []}>
          <Field prop={prop} />
        </Form.Item>
      ))}
      <Button type="primary" htmlType="submit" block loading={state.fetching}>{t('union.care.submit')}</Button>
    </Form>
  );
}

function show(message: { error: (m: string) => void; success: (m: string) => void }, errors: Errors, ok: string) {
  if (errors?.length) message.error(errors[0].message);
  else message.success(ok);
}

export default function CareTab() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, reexecute] = useQuery({ query: UnionCareQuery, requestPolicy: 'cache-and-network' });
  const [condoling, condole] = useMutation(SubmitUnionCondolenceMutation);
  const [, joinClub] = useMutation(JoinUnionClubMutation);
  const [, review] = useMutation(ReviewUnionClubMemberMutation);
  const [, enter] = useMutation(EnterUnionScreeningMutation);
  const refresh = () => reexecute({ requestPolicy: 'network-only' });
  const d = result.data;

  async function sendCondolence(values: { kind: string; reason: string }) {
    const r = (await condole({ input: values })).data?.submitUnionCondolence;
    show(message, r?.errors, t('union.care.condolenceSent'));
    refresh();
  }

  return (
    <QueryState fetching={result.fetching && !d} error={result.error} hasData={!!d} onRetry={refresh}>
      <Space direction="vertical" style={{ width: '100%' }} data-testid="union-care">
        <WomensHealth />
        <Typography.Title level={5}>{t('union.care.surveys')}</Typography.Title>
        {d?.unionSurveys.length === 0 && <Empty description={t('union.care.noSurveys')} />}
        {d?.unionSurveys.map((s) => (
          <Card key={s.id} size="small" title={s.title} data-testid="union-survey"
            extra={<Space size={4}>{s.anonymous && <Tag color="purple">{t('union.care.anonymous')}</Tag>}
              <Tag>{s.isOpen ? t('union.closesAt', { at: formatTime(s.closesAt) }) : t('union.closed')}</Tag></Space>}>
            {s.answered ? <Tag color="green">{t('union.care.answered')}</Tag>
              : s.isOpen ? <SurveyForm id={s.id} schema={JSON.parse(s.formSchema) as Schema} onDone={refresh} /> : null}
          </Card>
        ))}
        <Typography.Title level={5}>{t('union.care.condolence')}</Typography.Title>
        <Card size="small">
          <Form layout="vertical" onFinish={sendCondolence} data-testid="union-condolence-form">
            <Form.Item name="kind" label={t('union.care.kind')} rules={[{ required: true, message: t('union.required') }]}>
              <Select options={['birth', 'illness', 'bereavement'].map((k) => ({ value: k, label: t(`union.care.kinds.${k}`) }))} />
            </Form.Item>
            <Form.Item name="reason" label={t('union.care.reason')} rules={[{ required: true, message: t('union.required') }]}>
              <Input.TextArea autoSize maxLength={500} />
            </Form.Item>
            <Button htmlType="submit" block loading={condoling.fetching}>{t('union.care.submit')}</Button>
          </Form>
          {d?.unionCondolences.map((c) => (
            <div key={c.id} style={{ marginTop: 8 }}>
              {t(`union.care.kinds.${c.kind}`)} · {c.reason} <Tag>{t(`union.care.status.${c.status}`)}</Tag>
            </div>
          ))}
        </Card>
        <Typography.Title level={5}>{t('union.care.clubs')}</Typography.Title>
        {d?.unionClubs.length === 0 && <Empty description={t('union.care.noClubs')} />}
        {d?.unionClubs.map((c) => (
          <Card key={c.id} size="small" title={c.name} data-testid="union-club"
            extra={c.myStatus ? <Tag>{t(`union.care.status.${c.myStatus}`)}</Tag>
              : <Button size="small" onClick={async () => { show(message, (await joinClub({ input: { club: c.id } })).data?.joinUnionClub?.errors, t('union.care.applied')); refresh(); }}>{t('union.care.joinClub')}</Button>}>
            <Typography.Text type="secondary">{c.description} · {t('union.care.members', { n: c.members })}</Typography.Text>
            {c.applications.filter((a) => a.status === 'pending').map((a) => (
              <div key={a.id} style={{ marginTop: 8 }}>
                {a.name}{' '}
                <Button size="small" type="primary" onClick={async () => { show(message, (await review({ input: { application: a.id, approve: true } })).data?.reviewUnionClubMember?.errors, t('union.care.done')); refresh(); }}>{t('union.care.approve')}</Button>{' '}
                <Button size="small" onClick={async () => { show(message, (await review({ input: { application: a.id, approve: false } })).data?.reviewUnionClubMember?.errors, t('union.care.done')); refresh(); }}>{t('union.care.reject')}</Button>
              </div>
            ))}
          </Card>
        ))}
        <Typography.Title level={5}>{t('union.care.cinema')}</Typography.Title>
        {d?.unionScreenings.length === 0 && <Empty description={t('union.care.noScreenings')} />}
        {d?.unionScreenings.map((s) => (
          <Card key={s.id} size="small" title={s.title} data-testid="union-screening"
            extra={s.drawn ? <Tag color={s.won ? 'green' : undefined}>{s.entered ? (s.won ? t('union.care.won') : t('union.care.lost')) : t('union.care.drawn')}</Tag>
              : s.entered ? <Tag color="blue">{t('union.care.entered')}</Tag>
                : <Button size="small" type="primary" onClick={async () => { show(message, (await enter({ input: { screening: s.id } })).data?.enterUnionScreening?.errors, t('union.care.entered')); refresh(); }}>{t('union.care.enter')}</Button>}>
            <Typography.Text type="secondary">{formatTime(s.showAt)} · {t('union.care.tickets', { n: s.tickets, entries: s.entries })}</Typography.Text>
          </Card>
        ))}
      </Space>
    </QueryState>
  );
}
