// One referral: what was sent, its timeline, and the steps the server says the viewer may take
// now (`availableActions`; the workbench keeps no copy of the state machine). It re-reads itself
// when a change to it arrives live (the other side acting).
import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Flex, Form, Grid, Input, Modal, Tag, Timeline, Typography } from 'antd';
import { PaperClipOutlined, PrinterOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery, useSubscription } from 'urql';
import type { ReferralAction, ReferralFieldsFragment } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { useSignedLink } from '../../api/signedLinks';
import { FormErrors, QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { ReferralChangedSubscription, ReferralDetailQuery, unitGlobalId } from './operations';
import { statusColor } from './status';
import { STEPS, type StepValues } from './steps';
import { SlotPicker } from './SlotPicker';

export function ReferralDrawer({ id, onClose }: { id: string; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [result, reexecute] = useQuery({ query: ReferralDetailQuery, variables: { id } });
  useSubscription({ query: ReferralChangedSubscription, variables: { box: 'ALL' } }, (_prev, event) => {
    if (event.referralChanged.id === id) reexecute({ requestPolicy: 'network-only' });
    return event;
  });
  const [acting, setActing] = useState<ReferralAction | null>(null);
  const openLink = useSignedLink();
  const node = result.data?.node;
  const r = node && node.__typename === 'Referral' ? node : null;
  const pk = r ? referralPk(r.id) : '';

  return (
    <Drawer open onClose={onClose} size={screens.md ? 560 : '100%'} title={r ? `${r.patientName} · ${r.number}` : t('referrals.detail')} data-testid="referral-detail">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!r} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {r && (
          <>
            <Flex gap={8} wrap style={{ marginBottom: 12 }}>
              <Tag color={statusColor(r.status)} data-testid="detail-status">{t(`referralStatus.${r.status}`)}</Tag>
              {r.side === 'OUTGOING' && r.submittedAt && (
                <Tag bordered={false} color={r.deliveredAt ? 'cyan' : undefined} data-testid="detail-delivery">
                  {r.deliveredAt ? `${t('referrals.delivered')} ${formatTime(r.deliveredAt)}` : t('referrals.notDelivered')}
                </Tag>
              )}
              {r.statusReason && <Typography.Text type="secondary">{r.statusReason}</Typography.Text>}
            </Flex>
            <Flex gap={8} wrap style={{ marginBottom: 16 }}>
              {r.availableActions.map((a) => (
                <Button key={a} type={STEPS[a].tone === 'primary' ? 'primary' : 'default'} danger={STEPS[a].tone === 'danger'} onClick={() => setActing(a)} data-testid={`action-${a}`}>
                  {t(`referralAction.${a}`)}
                </Button>
              ))}
            </Flex>
            <Flex gap={8} wrap style={{ marginBottom: 16 }}>
              {r.status !== 'DRAFT' && (
                <Button icon={<PrinterOutlined />} onClick={() => void openLink(`/apps/referrals/${pk}/print/outbound/`, 'tab')} data-testid="print-outbound">
                  {t('referrals.printOutbound')}
                </Button>
              )}
              {r.status === 'COMPLETED' && (
                <Button icon={<PrinterOutlined />} onClick={() => void openLink(`/apps/referrals/${pk}/print/return/`, 'tab')} data-testid="print-return">
                  {t('referrals.printReturn')}
                </Button>
              )}
            </Flex>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('referrals.route')}>
                {r.fromUnitName}{t('common.paren', { text: r.fromDoctorName })} → {r.toUnitName}
                {r.toDeskName ? ` · ${r.toDeskName}` : ''}
              </Descriptions.Item>
              <Descriptions.Item label={t('referrals.patientName')}>
                {r.patientName} · {t(`sex.${r.patientSex}`)} · {String(r.patientBirthDate)}
              </Descriptions.Item>
              <Descriptions.Item label={t('referrals.urgency')}>{t(`urgency.${r.urgency}`)}</Descriptions.Item>
              <Descriptions.Item label={t('referrals.diagnosis')}>
                {r.diagnosisCode} {r.diagnosisText}
              </Descriptions.Item>
              <Descriptions.Item label={t('referrals.reason')}>{r.reason}</Descriptions.Item>
              {r.appointmentDate != null && <Descriptions.Item label={t('referrals.appointmentDate')}>{String(r.appointmentDate)}</Descriptions.Item>}
              {r.attachments.length > 0 && (
                <Descriptions.Item label={t('referrals.attachments')}>
                  <Flex vertical gap={4} align="start">
                    {r.attachments.map((a) => (
                      <Typography.Link key={a.id} onClick={() => void openLink(`/apps/referrals/attachments/${a.id}/`, 'download')} data-testid="attachment-link">
                        <PaperClipOutlined /> {a.filename}
                      </Typography.Link>
                    ))}
                  </Flex>
                </Descriptions.Item>
              )}
            </Descriptions>
            <Typography.Title level={5} style={{ marginTop: 20 }}>
              {t('referrals.timeline')}
            </Typography.Title>
            <Timeline
              data-testid="referral-timeline"
              items={r.events.map((e) => ({
                key: e.seq,
                content: (
                  <>
                    <Typography.Text strong>{t(`referralEvent.${e.action}`, { defaultValue: e.action })}</Typography.Text>{' '}
                    <Typography.Text type="secondary">
                      {e.actorName}
                      {e.actorUnit ? t('common.paren', { text: e.actorUnit }) : ''} · {formatTime(e.at)}
                    </Typography.Text>
                    {e.note && <div>{e.note}</div>}
                  </>
                ),
              }))}
            />
            {acting && (
              <ActionModal
                referral={r}
                action={acting}
                onClose={() => setActing(null)}
                onDone={() => {
                  setActing(null);
                  reexecute({ requestPolicy: 'network-only' });
                }}
              />
            )}
          </>
        )}
      </QueryState>
    </Drawer>
  );
}

/** The primary key in a referral's global id ("Referral:7"), which the paper forms' paths name. */
function referralPk(id: string): string {
  try {
    return atob(id).split(':')[1] ?? '';
  } catch {
    return '';
  }
}

function ActionModal({ referral, action, onClose, onDone }: { referral: ReferralFieldsFragment; action: ReferralAction; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [form] = Form.useForm<StepValues>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const step = STEPS[action];
  const reason = step.form === 'reason' || step.form === 'optionalReason';
  const appointment = step.form === 'appointment' || step.form === 'optionalAppointment';

  async function submit() {
    const values = await form.validateFields().catch(() => null); // the form shows what is missing
    if (!values) return;
    setProblems([]);
    setBusy(true);
    const result = await step.run(client, referral.id, values).finally(() => setBusy(false));
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    if (result.errors.length) return setProblems(applyFieldErrors(form, result.errors));
    message.success(t('referrals.done', { action: t(`referralAction.${action}`) }));
    onDone();
  }

  const required = [{ required: true, message: t('common.required') }];
  return (
    <Modal open title={t(`referralAction.${action}`)} onCancel={onClose} onOk={submit} confirmLoading={busy} okText={t(`referralAction.${action}`)} destroyOnHidden>
      <FormErrors errors={problems} />
      {/* the day the sender wished for is preselected; the receiver may pick another */}
      <Form form={form} layout="vertical" data-testid="action-form" initialValues={appointment && referral.wishedDate ? { appointmentDate: String(referral.wishedDate) } : undefined}>
        {appointment && referral.toDeskId != null && (
          <Form.Item name="appointmentDate" label={t('referrals.appointmentDate')} rules={step.form === 'appointment' ? required : undefined}>
            <SlotPicker unit={unitGlobalId(String(referral.toUnitId))} desk={Number(referral.toDeskId)} />
          </Form.Item>
        )}
        {reason && (
          <Form.Item name="reason" label={t('referrals.statusReason')} rules={step.form === 'reason' ? required : undefined}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {step.form === 'returnForm' &&
          (['resultDiagnosis', 'inpatientNo', 'mainFindings', 'treatmentSummary', 'nextPlan'] as const).map((f) => (
            <Form.Item key={f} name={f} label={t(`referrals.${f}`)} rules={f === 'resultDiagnosis' || f === 'nextPlan' ? required : undefined}>
              <Input.TextArea rows={2} />
            </Form.Item>
          ))}
        {step.form === 'confirm' && <Typography.Text>{t('referrals.confirmAction')}</Typography.Text>}
      </Form>
    </Modal>
  );
}
