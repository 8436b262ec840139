// Approval of supervision data up the tree: pick a node and a month, see every reporting unit
// under it with its step and whether it reported on time, approve or return (with a reason)
// where the reader may, and read the steps a unit's month took.
import { useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Drawer, Flex, Form, Grid, Input, Modal, Result, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { ButtonProps } from 'antd';
import type { SupervisionApprovalQueueQuery, SupervisionStep } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { ApprovalEventsQuery, ApprovalMutation, ApprovalQueueQuery } from './operations';
import { PeriodPicker } from './PeriodPicker';
import { NodeTrail, levelName, useSupervisionPlace } from './place';
import { STEP_COLORS } from './steps';

type Row = SupervisionApprovalQueueQuery['supervisionApprovalQueue'][number];

export default function ApprovalPage() {
  const { t } = useTranslation();
  const { scope, reexecuteScope, unit, period, go } = useSupervisionPlace(['month']);
  const noScope = scope.data && !scope.data.supervisionScope.nodes.length;
  return (
    <Card title={t('supervision.approval.title')} data-testid="supervision-approval">
      <QueryState fetching={scope.fetching} error={scope.error} hasData={!!scope.data} onRetry={() => reexecuteScope({ requestPolicy: 'network-only' })}>
        {noScope || !unit ? (
          <Result status="403" title={t('supervision.noScope')} />
        ) : (
          <>
            <Flex gap={12} wrap align="center" justify="space-between" style={{ marginBottom: 16 }}>
              <NodeTrail unit={unit} onSelect={(id) => go({ unit: id })} />
              <PeriodPicker value={period} onChange={(p) => go({ period: p })} kinds={['month']} />
            </Flex>
            <Queue unit={unit} period={period} />
          </>
        )}
      </QueryState>
    </Card>
  );
}

function Queue({ unit, period }: { unit: string; period: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [result, reexecute] = useQuery({ query: ApprovalQueueQuery, variables: { unit, period } });
  const [, act] = useMutation(ApprovalMutation);
  const [acting, setActing] = useState<string | null>(null);
  const [returning, setReturning] = useState<Row | null>(null);
  const [history, setHistory] = useState<Row | null>(null);
  const rows = result.data?.supervisionApprovalQueue ?? [];

  const stepTag = (r: Row) => (
    <Tag color={STEP_COLORS[r.step]} data-testid="approval-step">
      {t(`supervision.step.${r.step}`)}
    </Tag>
  );

  async function approve(row: Row) {
    setActing(row.unit.id);
    const r = await act({ input: { unit: row.unit.id, period, action: 'APPROVE' } });
    setActing(null);
    const errors = r.data?.supervisionApproval?.errors ?? [];
    if (r.error) message.error(errorText(r.error));
    else if (errors.length) message.error(errors[0].message);
    else {
      message.success(t('supervision.approval.approved', { unit: row.unit.name }));
      reexecute({ requestPolicy: 'network-only' });
    }
  }

  return (
    <QueryState
      fetching={result.fetching}
      error={result.error}
      hasData={!!result.data}
      isEmpty={rows.length === 0}
      emptyText={t('supervision.approval.empty')}
      onRetry={() => reexecute({ requestPolicy: 'network-only' })}
    >
      <Table<Row>
        rowKey={(r) => r.unit.id}
        dataSource={rows}
        pagination={rows.length > 50 ? { pageSize: 50 } : false}
        size={screens.md ? 'middle' : 'small'}
        scroll={{ x: 'max-content' }}
        data-testid="approval-table"
        onRow={(r) => ({ 'data-testid': 'approval-row', 'data-unit': r.unit.name }) as HTMLAttributes<HTMLElement>}
        columns={[
          {
            key: 'unit',
            title: t('supervision.approval.unit'),
            render: (_v, r) => (
              <Space orientation="vertical" size={0}>
                <Typography.Text>{r.unit.name}</Typography.Text>
                <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                  {levelName(t, r.unit.level)}
                </Typography.Text>
                {!screens.sm && stepTag(r)}
              </Space>
            ),
          },
          { key: 'step', title: t('supervision.approval.step'), responsive: ['sm'], render: (_v, r) => stepTag(r) },
          {
            key: 'onTime',
            title: t('supervision.approval.onTime'),
            responsive: ['sm'],
            render: (_v, r) =>
              r.onTime == null ? (
                <Typography.Text type="secondary">—</Typography.Text>
              ) : (
                <Tag color={r.onTime ? 'success' : 'warning'} data-testid="approval-on-time">
                  {r.onTime ? t('supervision.approval.inTime') : t('supervision.approval.late')}
                </Tag>
              ),
          },
          { key: 'values', title: t('supervision.approval.values'), dataIndex: 'values', responsive: ['md'] },
          { key: 'submittedAt', title: t('supervision.approval.submittedAt'), responsive: ['lg'], render: (_v, r) => formatTime(r.submittedAt) },
          {
            key: 'actions',
            title: t('common.actions'),
            render: (_v, r) => (
              <Space wrap size={4}>
                {r.canApprove && (
                  <Button size="small" type="primary" loading={acting === r.unit.id} disabled={acting !== null && acting !== r.unit.id} onClick={() => approve(r)} data-testid="approve">
                    {r.nextStep ? t('supervision.approval.approveTo', { step: t(`supervision.step.${r.nextStep}`) }) : t('supervision.approval.approve')}
                  </Button>
                )}
                {r.canUnapprove && (
                  <Button size="small" danger onClick={() => setReturning(r)} data-testid="unapprove">
                    {t('supervision.approval.unapprove')}
                  </Button>
                )}
                <Button size="small" type="link" onClick={() => setHistory(r)} data-testid="history">
                  {t('supervision.approval.history')}
                </Button>
              </Space>
            ),
          },
        ]}
      />
      {returning && (
        <UnapproveModal
          row={returning}
          period={period}
          onClose={(done) => {
            setReturning(null);
            if (done) reexecute({ requestPolicy: 'network-only' });
          }}
        />
      )}
      {history && <HistoryDrawer row={history} period={period} onClose={() => setHistory(null)} />}
    </QueryState>
  );
}

function UnapproveModal({ row, period, onClose }: { row: Row; period: string; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [{ fetching }, act] = useMutation(ApprovalMutation);
  const [general, setGeneral] = useState<FieldError[]>([]);

  async function submit({ reason }: { reason: string }) {
    const r = await act({ input: { unit: row.unit.id, period, action: 'UNAPPROVE', reason } });
    if (r.error) return setGeneral([{ code: 'ERROR', message: errorText(r.error) }]);
    const errors = r.data?.supervisionApproval?.errors ?? [];
    if (errors.length) return setGeneral(applyFieldErrors(form, errors));
    message.success(t('supervision.approval.returned', { unit: row.unit.name }));
    onClose(true);
  }

  return (
    <Modal
      open
      title={t('supervision.approval.unapproveTitle', { unit: row.unit.name })}
      okText={t('supervision.approval.unapprove')}
      okButtonProps={{ danger: true, loading: fetching, 'data-testid': 'confirm-unapprove' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <FormErrors errors={general} />
      <Form form={form} layout="vertical" onFinish={submit} data-testid="unapprove-form">
        <Form.Item
          name="reason"
          label={t('supervision.approval.reason')}
          rules={[{ required: true, whitespace: true, message: t('supervision.approval.reasonRequired') }, { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('supervision.approval.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function HistoryDrawer({ row, period, onClose }: { row: Row; period: string; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [result, reexecute] = useQuery({ query: ApprovalEventsQuery, variables: { unit: row.unit.id, period }, requestPolicy: 'network-only' });
  const events = result.data?.supervisionApprovalEvents ?? [];
  const stepName = (s: SupervisionStep) => t(`supervision.step.${s}`);
  return (
    <Drawer open onClose={onClose} size={screens.md ? 480 : '100%'} title={`${row.unit.name} · ${period}`}>
      <QueryState
        fetching={result.fetching}
        error={result.error}
        hasData={!!result.data}
        isEmpty={events.length === 0}
        emptyText={t('supervision.approval.noHistory')}
        onRetry={() => reexecute({ requestPolicy: 'network-only' })}
      >
        <Timeline
          data-testid="approval-timeline"
          items={events.map((e, i) => ({
            key: i,
            color: e.action === 'unapprove' ? 'red' : e.action === 'submit' ? 'blue' : 'green',
            content: (
              <>
                <Typography.Text strong>{t(`supervision.action.${e.action}`, { defaultValue: e.action })}</Typography.Text>{' '}
                <Typography.Text>
                  {stepName(e.fromStep)} → {stepName(e.toStep)}
                </Typography.Text>
                <div>
                  <Typography.Text type="secondary">
                    {e.actorName} · {formatTime(e.at)}
                  </Typography.Text>
                </div>
                {e.reason && <div>{t('supervision.approval.reasonIs', { reason: e.reason })}</div>}
              </>
            ),
          }))}
        />
      </QueryState>
    </Drawer>
  );
}
