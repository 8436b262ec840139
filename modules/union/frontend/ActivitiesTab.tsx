// Activities the member may join: places left, the waiting list, the sign-up form, and one button
// per action the server offers (SIGN_UP, CANCEL, CHECK_IN with the code from the venue's QR code).
import { useState } from 'react';
import { App, Button, Card, Empty, Form, Input, Modal, Select, Space, Tag, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { QueryState } from '@workbench/components/QueryState';
import { formatTime } from '@workbench/components/time';
import { CancelUnionSignupMutation, CheckInUnionActivityMutation, SignUpUnionActivityMutation, UnionActivitiesQuery } from './operations';

type Activity = NonNullable<ReturnType<typeof useActivities>[0]['data']>['unionActivities'][number];

function useActivities() {
  return useQuery({ query: UnionActivitiesQuery, requestPolicy: 'cache-and-network' });
}

export default function ActivitiesTab({ onChange }: { onChange: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, reexecute] = useActivities();
  const [, signUp] = useMutation(SignUpUnionActivityMutation);
  const [, cancel] = useMutation(CancelUnionSignupMutation);
  const [, checkIn] = useMutation(CheckInUnionActivityMutation);
  const [form] = Form.useForm();
  const [signing, setSigning] = useState<Activity | null>(null);
  const [checking, setChecking] = useState<Activity | null>(null);
  const refresh = () => {
    reexecute({ requestPolicy: 'network-only' });
    onChange();
  };

  function report(r: { errors: { message: string }[] } | null | undefined, ok: string) {
    if (!r) return;
    if (r.errors.length) message.error(r.errors[0].message);
    else message.success(ok);
    refresh();
  }

  async function act(a: Activity, action: string) {
    if (action === 'SIGN_UP') {
      if (a.form.length) {
        form.resetFields();
        setSigning(a);
      } else report((await signUp({ input: { activity: a.id } })).data?.signUpUnionActivity, t('union.signedUp'));
    } else if (action === 'CANCEL') {
      report((await cancel({ input: { activity: a.id } })).data?.cancelUnionSignup, t('union.cancelled'));
    } else if (action === 'CHECK_IN') {
      form.resetFields();
      setChecking(a);
    }
  }

  async function submitSignUp() {
    const answers = await form.validateFields();
    const r = (await signUp({ input: { activity: signing!.id, answers: JSON.stringify(answers) } })).data?.signUpUnionActivity;
    setSigning(null);
    report(r, t('union.signedUp'));
  }

  async function submitCheckIn() {
    const { code } = await form.validateFields();
    const r = (await checkIn({ input: { activity: checking!.id, code } })).data?.checkInUnionActivity;
    if (!r?.errors.length) setChecking(null);
    report(r, t('union.attended'));
  }

  const list = result.data?.unionActivities ?? [];
  return (
    <QueryState fetching={result.fetching && !result.data} error={result.error} hasData={!!result.data} onRetry={refresh}>
      {list.length === 0 && <Empty description={t('union.noActivities')} />}
      <Space direction="vertical" style={{ width: '100%' }}>
        {list.map((a) => (
          <Card key={a.id} size="small" title={a.title} data-testid="union-activity"
            extra={a.myStatus ? <Tag color={a.myStatus === 'CONFIRMED' ? 'green' : a.myStatus === 'WAITING' ? 'orange' : undefined} data-testid="union-my-status">
              {t(`union.signupStatus.${a.myStatus}`)}{a.myWaitingPosition ? ` · ${t('union.position', { n: a.myWaitingPosition })}` : ''}
            </Tag> : null}>
            <Typography.Paragraph type="secondary" style={{ marginBottom: 4 }}>
              {formatTime(a.startAt)} · {a.place || a.nodeName}
            </Typography.Paragraph>
            <Space wrap size={4}>
              <Tag data-testid="union-places">{t('union.places', { taken: a.taken, quota: a.quota })}</Tag>
              {a.waiting > 0 && <Tag color="orange">{t('union.waiting', { n: a.waiting })}</Tag>}
              {a.needsApproval && <Tag>{t('union.needsApproval')}</Tag>}
              <Tag color="blue">{t('union.pointsAward', { n: a.points })}</Tag>
            </Space>
            <Space wrap style={{ marginTop: 8 }}>
              {a.availableActions.filter((x) => x !== 'REVIEW').map((x) => (
                <Button key={x} size="small" type={x === 'SIGN_UP' || x === 'CHECK_IN' ? 'primary' : 'default'} danger={x === 'CANCEL'}
                  onClick={() => act(a, x)} data-testid={`union-action-${x}`}>
                  {x === 'SIGN_UP' && a.taken >= a.quota ? t('union.joinWaiting') : t(`union.action.${x}`)}
                </Button>
              ))}
            </Space>
          </Card>
        ))}
      </Space>
      <Modal open={!!signing} title={signing?.title} onOk={submitSignUp} onCancel={() => setSigning(null)} okText={t('union.action.SIGN_UP')} destroyOnHidden>
        <Form form={form} layout="vertical">
          {signing?.form.map((f) => (
            <Form.Item key={f.key} name={f.key} label={f.label} rules={f.required ? [{ required: true, message: t('union.required') }] : []}>
              {f.options.length ? <Select options={f.options.map((o) => ({ value: o, label: o }))} data-testid={`union-field-${f.key}`} /> : <Input />}
            </Form.Item>
          ))}
        </Form>
      </Modal>
      <Modal open={!!checking} title={t('union.scanTitle')} onOk={submitCheckIn} onCancel={() => setChecking(null)} destroyOnHidden>
        <Form form={form} layout="vertical">
          <Form.Item name="code" label={t('union.code')} rules={[{ required: true, message: t('union.required') }]}>
            <Input />
          </Form.Item>
        </Form>
      </Modal>
    </QueryState>
  );
}
