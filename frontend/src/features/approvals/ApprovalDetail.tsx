// One approval as its reader may see it: the form (read-only, fields hidden from the reader left
// out by the server), the flow with who approved when and who is pending, the timeline with
// comments, and one button per action the server offers (`availableActions`). It re-reads itself
// when `approvalChanged` names it (someone else acting).
import { useState } from 'react';
import { App, Button, Divider, Flex, Form, Input, Modal, Radio, Select, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery, useSubscription } from 'urql';
import type { ApprovalAvailableAction, ApprovalDetailFieldsFragment } from '../../gql/graphql';
import { errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { ContactPicker } from '../org/ContactPicker';
import { ApprovalForm, parseJson } from './ApprovalForm';
import { ACTIONS, STATUS_COLOR, type ActionValues } from './actions';
import { ApprovalChangedSubscription, ApprovalInstanceQuery } from './operations';

export function ApprovalDetail({ id, onDecided }: { id: string; onDecided?: () => void }) {
  const [result, reexecute] = useQuery({ query: ApprovalInstanceQuery, variables: { id } });
  const [live] = useSubscription({ query: ApprovalChangedSubscription }, (count: number = 0, event) => {
    if (event.approvalChanged.id === id) reexecute({ requestPolicy: 'network-only' });
    return count + 1;
  });
  const a = result.data?.approvalInstance;
  return (
    <QueryState fetching={result.fetching} error={result.error} hasData={!!a} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
      {a && <Body a={a} live={live.data ?? 0} onActed={() => { reexecute({ requestPolicy: 'network-only' }); onDecided?.(); }} />}
    </QueryState>
  );
}

function Body({ a, live, onActed }: { a: ApprovalDetailFieldsFragment; live: number; onActed: () => void }) {
  const { t } = useTranslation();
  const [acting, setActing] = useState<ApprovalAvailableAction | null>(null);
  const [comment, setComment] = useState('');
  const [busy, setBusy] = useState<ApprovalAvailableAction | null>(null);
  const { message } = App.useApp();
  const client = useClient();
  const canDecide = a.availableActions.includes('APPROVE');

  async function tap(action: ApprovalAvailableAction) {
    if (ACTIONS[action].form !== 'none') return setActing(action);
    setBusy(action);
    const r = await ACTIONS[action].run(client, { instance: a.id, task: a.myTask?.id }, { comment }).finally(() => setBusy(null));
    const problem = r.error ? errorText(r.error) : r.errors.map((e) => e.message).join(' ');
    if (problem) return void message.error(problem);
    message.success(t('approvals.done', { action: t(`approvals.action.${action}`) }));
    setComment('');
    onActed();
  }

  return (
    <div data-testid="approval-detail" data-status={a.status} data-live={live}>
      <Flex gap={8} wrap align="center" style={{ marginBottom: 8 }}>
        <Typography.Title level={5} style={{ margin: 0 }}>
          {a.title}
        </Typography.Title>
        <Tag color={STATUS_COLOR[a.status]} data-testid="approval-status">
          {t(`approvals.status.${a.status}`)}
        </Tag>
        {a.urgent && <Tag color="red">{t('approvals.urgent')}</Tag>}
      </Flex>
      <Typography.Text type="secondary">
        {a.number} · {a.submitterName}
        {a.departmentName ? t('common.paren', { text: a.departmentName }) : ''} · {formatTime(a.createdAt)}
      </Typography.Text>
      <Divider style={{ margin: '12px 0' }} />
      <ApprovalForm schema={parseJson(a.formSchema)} uiSchema={parseJson(a.uiSchema)} formData={parseJson(a.formData)} readonly />
      <Typography.Title level={5}>{t('approvals.flow')}</Typography.Title>
      <Timeline
        data-testid="approval-flow"
        items={a.nodes
          .filter((n) => n.kind !== 'start')
          .map((n) => ({
            key: `${n.nodeId}-${n.round}`,
            color: n.status === 'ACTIVE' ? 'blue' : n.status === 'APPROVED' ? 'green' : n.status === 'REJECTED' ? 'red' : 'gray',
            content: (
              <div data-testid="flow-node" data-status={n.status}>
                <Typography.Text strong>{n.name}</Typography.Text>{' '}
                {n.kind === 'approver' && <Tag bordered={false}>{t(`approvals.mode.${n.mode}`, { defaultValue: n.mode })}</Tag>}
                {n.kind === 'cc' && <Tag bordered={false}>{t('approvals.cc')}</Tag>}
                {n.tasks.map((task) => (
                  <div key={task.id}>
                    {task.assigneeName}{' '}
                    <Typography.Text type={task.status === 'PENDING' ? 'warning' : 'secondary'}>
                      {t(`approvals.taskStatus.${task.status}`, { defaultValue: task.status })}
                      {task.decidedAt ? ` · ${formatTime(task.decidedAt)}` : ''}
                    </Typography.Text>
                    {task.comment && <div style={{ color: '#595959' }}>“{task.comment}”</div>}
                  </div>
                ))}
              </div>
            ),
          }))}
      />
      <Typography.Title level={5}>{t('approvals.timeline')}</Typography.Title>
      <Timeline
        data-testid="approval-timeline"
        items={a.timeline.map((e) => ({
          key: e.id,
          content: (
            <>
              <Typography.Text strong>{t(`approvals.event.${e.kind}`, { defaultValue: e.kind })}</Typography.Text>{' '}
              <Typography.Text type="secondary">
                {e.actorName} · {formatTime(e.at)}
              </Typography.Text>
              {e.comment && <div>{e.comment}</div>}
            </>
          ),
        }))}
      />
      {a.availableActions.length > 0 && (
        <div style={{ position: 'sticky', bottom: 0, background: '#fff', padding: '8px 0', borderTop: '1px solid #f0f0f0' }}>
          {canDecide && (
            <Input.TextArea
              value={comment}
              onChange={(e) => setComment(e.target.value)}
              placeholder={t('approvals.commentOptional')}
              autoSize={{ minRows: 1, maxRows: 3 }}
              style={{ marginBottom: 8 }}
              data-testid="approve-comment"
            />
          )}
          <Flex gap={8} wrap>
            {a.availableActions.map((action) => (
              <Button
                key={action}
                type={ACTIONS[action].tone === 'primary' ? 'primary' : 'default'}
                danger={ACTIONS[action].tone === 'danger'}
                loading={busy === action}
                onClick={() => void tap(action)}
                data-testid={`action-${action}`}
              >
                {t(`approvals.action.${action}`)}
              </Button>
            ))}
          </Flex>
        </div>
      )}
      {acting && (
        <ActionModal
          a={a}
          action={acting}
          onClose={() => setActing(null)}
          onDone={() => {
            setActing(null);
            onActed();
          }}
        />
      )}
    </div>
  );
}

function ActionModal({ a, action, onClose, onDone }: { a: ApprovalDetailFieldsFragment; action: ApprovalAvailableAction; onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const client = useClient();
  const [form] = Form.useForm<ActionValues>();
  const [busy, setBusy] = useState(false);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const step = ACTIONS[action];
  const required = [{ required: true, message: t('common.required') }];

  async function submit() {
    const values = await form.validateFields().catch(() => null);
    if (!values) return;
    setBusy(true);
    const r = await step.run(client, { instance: a.id, task: a.myTask?.id }, values).finally(() => setBusy(false));
    if (r.error) return setProblems([{ code: 'REQUEST', message: errorText(r.error) }]);
    if (r.errors.length) return setProblems(r.errors);
    message.success(t('approvals.done', { action: t(`approvals.action.${action}`) }));
    onDone();
  }

  return (
    <Modal open title={t(`approvals.action.${action}`)} onCancel={onClose} onOk={() => void submit()} confirmLoading={busy} okText={t(`approvals.action.${action}`)} destroyOnHidden>
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" data-testid="action-form" initialValues={{ position: 'AFTER', node: a.returnTargets[0]?.nodeId }}>
        {step.form === 'return' && (
          <Form.Item name="node" label={t('approvals.returnTo')} rules={required}>
            <Select options={a.returnTargets.map((n) => ({ value: n.nodeId, label: n.name }))} data-testid="return-target" />
          </Form.Item>
        )}
        {step.form === 'forward' && (
          <Form.Item name="toUser" label={t('approvals.forwardTo')} rules={required}>
            <ContactPicker data-testid="forward-to" />
          </Form.Item>
        )}
        {step.form === 'addSign' && (
          <>
            <Form.Item name="users" label={t('approvals.signers')} rules={required}>
              <ContactPicker multiple data-testid="signers" />
            </Form.Item>
            <Form.Item name="position" label={t('approvals.position')}>
              <Radio.Group options={[{ value: 'BEFORE', label: t('approvals.before') }, { value: 'AFTER', label: t('approvals.after') }]} />
            </Form.Item>
          </>
        )}
        <Form.Item name="comment" label={t('approvals.comment')} rules={step.form === 'comment' || step.form === 'return' ? required : undefined}>
          <Input.TextArea rows={3} maxLength={1000} data-testid="action-comment" />
        </Form.Item>
      </Form>
    </Modal>
  );
}
