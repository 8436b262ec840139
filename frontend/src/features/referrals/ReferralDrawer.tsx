// One referral: what was sent, its timeline, and the steps open to the viewer. It re-reads
// itself when a change to it arrives live (the other side acting).
import { useState } from 'react';
import { App, Button, Descriptions, Drawer, Flex, Form, Grid, Input, Modal, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery, useSubscription } from 'urql';
import type { ReferralAction, ReferralFieldsFragment } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { ReferralChangedSubscription, ReferralDetailQuery, ReferralTransitionMutation, unitGlobalId } from './operations';
import { NEEDS_DATE, NEEDS_REASON, actionsFor, statusColor } from './status';
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
  const node = result.data?.node;
  const r = node && node.__typename === 'Referral' ? node : null;

  return (
    <Drawer open onClose={onClose} size={screens.md ? 560 : '100%'} title={r ? `${r.patientName} · ${r.number}` : t('referrals.detail')} data-testid="referral-detail">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!r} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        {r && (
          <>
            <Flex gap={8} wrap style={{ marginBottom: 12 }}>
              <Tag color={statusColor(r.status)} data-testid="detail-status">{t(`referralStatus.${r.status}`)}</Tag>
              {r.statusReason && <Typography.Text type="secondary">{r.statusReason}</Typography.Text>}
            </Flex>
            <Flex gap={8} wrap style={{ marginBottom: 16 }}>
              {actionsFor(r.side, r.status).map((a) => (
                <Button key={a} type={a === 'ACCEPT' || a === 'SUBMIT' ? 'primary' : 'default'} danger={a === 'REJECT' || a === 'CANCEL'} onClick={() => setActing(a)} data-testid={`action-${a}`}>
                  {t(`referralAction.${a}`)}
                </Button>
              ))}
            </Flex>
            <Descriptions column={1} size="small" bordered>
              <Descriptions.Item label={t('referrals.route')}>
                {r.fromUnitName}（{r.fromDoctorName}）→ {r.toUnitName}
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
                <Descriptions.Item label={t('referrals.attachments')}>{r.attachments.map((a) => a.filename).join('、')}</Descriptions.Item>
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
                      {e.actorUnit ? `（${e.actorUnit}）` : ''} · {formatTime(e.at)}
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

interface ActionValues {
  reason?: string;
  appointmentDate?: string;
  resultDiagnosis?: string;
  mainFindings?: string;
  treatmentSummary?: string;
  nextPlan?: string;
}

function ActionModal({ referral, action, onClose, onDone }: { referral: ReferralFieldsFragment; action: ReferralAction; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ActionValues>();
  const [state, step] = useMutation(ReferralTransitionMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const needsReason = NEEDS_REASON.includes(action);
  const needsDate = NEEDS_DATE.includes(action);
  const completing = action === 'COMPLETE';

  async function submit() {
    const values = await form.validateFields();
    setProblems([]);
    const result = await step({ input: { id: referral.id, action, ...values } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.referralTransition;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    message.success(t('referrals.done', { action: t(`referralAction.${action}`) }));
    onDone();
  }

  const required = [{ required: true, message: t('common.required') }];
  return (
    <Modal open title={t(`referralAction.${action}`)} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t(`referralAction.${action}`)} destroyOnHidden>
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" data-testid="action-form">
        {needsDate && referral.toDeskId != null && (
          <Form.Item name="appointmentDate" label={t('referrals.appointmentDate')} rules={required}>
            <SlotPicker unit={unitGlobalId(String(referral.toUnitId))} desk={Number(referral.toDeskId)} />
          </Form.Item>
        )}
        {needsReason && (
          <Form.Item name="reason" label={t('referrals.statusReason')} rules={required}>
            <Input.TextArea rows={3} />
          </Form.Item>
        )}
        {completing &&
          (['resultDiagnosis', 'mainFindings', 'treatmentSummary', 'nextPlan'] as const).map((f) => (
            <Form.Item key={f} name={f} label={t(`referrals.${f}`)} rules={f === 'resultDiagnosis' || f === 'nextPlan' ? required : undefined}>
              <Input.TextArea rows={2} />
            </Form.Item>
          ))}
        {!needsDate && !needsReason && !completing && <Typography.Text>{t('referrals.confirmAction')}</Typography.Text>}
      </Form>
    </Modal>
  );
}
