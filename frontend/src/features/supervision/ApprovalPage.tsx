// Approval of supervision data up the tree: pick a node, a data set and a period, see every
// reporting unit under it with its step, whether it reported on time (and when it was resubmitted
// after a return) and whether entry is locked by date. Each row offers exactly the actions the
// server lists in `availableActions` (submit, approve, return with a reason, reopen until a date
// with a reason), and the table follows other people's changes live (`supervisionChanged`).
import { useState, type HTMLAttributes } from 'react';
import { App, Button, Card, DatePicker, Drawer, Flex, Form, Grid, Input, Modal, Result, Select, Space, Table, Tag, Timeline, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { ButtonProps } from 'antd';
import type { SupervisionApprovalQueueQuery, SupervisionPeriodType, SupervisionStep } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { useSupervisionChanges } from './live';
import {
  ApprovalDataSetsQuery,
  ApprovalEventsQuery,
  ApprovalQueueQuery,
  ApproveReportMutation,
  ReopenReportMutation,
  ReturnReportMutation,
  SubmitReportMutation,
} from './operations';
import { PeriodPicker } from './PeriodPicker';
import { lastPeriod, type PeriodKind } from './periods';
import { NodeTrail, levelName, useSupervisionPlace } from './place';
import { STEP_COLORS } from './steps';

type Row = SupervisionApprovalQueueQuery['supervisionApprovalQueue'][number];

// What the API means when no data set is named.
const STANDARD_DATA_SET = 'standard_monthly';
const KIND: Record<SupervisionPeriodType, PeriodKind> = { MONTHLY: 'month', QUARTERLY: 'quarter', YEARLY: 'year' };

export default function ApprovalPage() {
  const { t } = useTranslation();
  const [sets, reexecuteSets] = useQuery({ query: ApprovalDataSetsQuery });
  const setList = sets.data?.supervisionDataSets ?? [];
  const kindOf = (code: string | null) => KIND[setList.find((s) => s.code === (code ?? STANDARD_DATA_SET))?.periodType ?? 'MONTHLY'];
  const { scope, reexecuteScope, unit, period, dataSet, go } = useSupervisionPlace((code) => [kindOf(code)]);
  const code = dataSet ?? STANDARD_DATA_SET;
  const kind = kindOf(dataSet);
  const noScope = scope.data && !scope.data.supervisionScope.nodes.length;
  return (
    <Card title={t('supervision.approval.title')} data-testid="supervision-approval">
      <QueryState
        fetching={scope.fetching || sets.fetching}
        error={scope.error ?? sets.error}
        hasData={!!scope.data && !!sets.data}
        onRetry={() => {
          reexecuteScope({ requestPolicy: 'network-only' });
          reexecuteSets({ requestPolicy: 'network-only' });
        }}
      >
        {noScope || !unit ? (
          <Result status="403" title={t('supervision.noScope')} />
        ) : (
          <>
            <Flex gap={12} wrap align="center" justify="space-between" style={{ marginBottom: 16 }}>
              <NodeTrail unit={unit} onSelect={(id) => go({ unit: id })} />
              <Space wrap size={8}>
                {setList.length > 1 && (
                  <Select
                    value={code}
                    onChange={(next: string) => go({ dataSet: next === STANDARD_DATA_SET ? null : next, period: lastPeriod(kindOf(next)) })}
                    options={setList.map((s) => ({ value: s.code, label: s.name }))}
                    style={{ minWidth: 180, maxWidth: '100%' }}
                    aria-label={t('supervision.approval.dataSet')}
                    data-testid="approval-data-set"
                  />
                )}
                <PeriodPicker value={period} onChange={(p) => go({ period: p })} kinds={[kind]} />
              </Space>
            </Flex>
            <Queue unit={unit} period={period} dataSet={code} />
          </>
        )}
      </QueryState>
    </Card>
  );
}

function Queue({ unit, period, dataSet }: { unit: string; period: string; dataSet: string }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const screens = Grid.useBreakpoint();
  const [result, reexecute] = useQuery({ query: ApprovalQueueQuery, variables: { unit, period, dataSet } });
  const [, submitReport] = useMutation(SubmitReportMutation);
  const [, approveReport] = useMutation(ApproveReportMutation);
  const [acting, setActing] = useState<string | null>(null);
  const [returning, setReturning] = useState<Row | null>(null);
  const [reopening, setReopening] = useState<Row | null>(null);
  const [history, setHistory] = useState<Row | null>(null);
  const rows = result.data?.supervisionApprovalQueue ?? [];
  const locksByDate = rows.some((r) => r.lockDate);
  const live = useSupervisionChanges(
    (c) => c.dataSet === dataSet && c.period === period && rows.some((r) => r.unit.id === c.unit),
    () => reexecute({ requestPolicy: 'network-only' }),
  );

  // Entry closed by the lock date, or open again until a date; a submission's lock is its step.
  const lockTag = (r: Row) =>
    r.lockReason === 'PAST_LOCK_DATE' ? (
      <Tag color="default" data-testid="approval-lock">
        {t('supervision.reopen.locked', { date: r.lockDate })}
      </Tag>
    ) : r.reopenedUntil ? (
      <Tag color="processing" data-testid="approval-lock">
        {t('supervision.reopen.reopenedUntil', { date: r.reopenedUntil })}
      </Tag>
    ) : null;

  const stepTag = (r: Row) => (
    <Space size={4} wrap>
      <Tag color={STEP_COLORS[r.step]} data-testid="approval-step">
        {t(`supervision.step.${r.step}`)}
      </Tag>
      {r.returned && (
        <Tag color="error" data-testid="approval-returned" title={t('supervision.approval.reasonIs', { reason: r.returned.reason })}>
          {t('supervision.returned')}
        </Tag>
      )}
    </Space>
  );

  // Submitting and approving need nothing but the report; both answer the same way.
  async function step(row: Row, action: 'SUBMIT' | 'APPROVE') {
    setActing(row.unit.id);
    const input = { unit: row.unit.id, period, dataSet };
    const r = action === 'SUBMIT' ? await submitReport({ input }) : await approveReport({ input });
    setActing(null);
    const payload = r.data && ('submitSupervisionReport' in r.data ? r.data.submitSupervisionReport : r.data.approveSupervisionReport);
    const errors = payload?.errors ?? [];
    if (r.error) message.error(errorText(r.error));
    else if (errors.length) message.error(errors[0].message);
    else {
      message.success(t(action === 'SUBMIT' ? 'supervision.approval.submitted' : 'supervision.approval.approved', { unit: row.unit.name }));
      reexecute({ requestPolicy: 'network-only' });
    }
  }

  // On a phone the buttons sit under the unit's name, full row width, wrapping: never clipped.
  const actions = (r: Row) => (
    <Flex wrap gap={4} data-testid="approval-actions">
      {r.availableActions.includes('SUBMIT') && (
        <Button size="small" loading={acting === r.unit.id} disabled={acting !== null && acting !== r.unit.id} onClick={() => step(r, 'SUBMIT')} data-testid="submit">
          {t('supervision.entry.submit')}
        </Button>
      )}
      {r.availableActions.includes('APPROVE') && (
        <Button size="small" type="primary" loading={acting === r.unit.id} disabled={acting !== null && acting !== r.unit.id} onClick={() => step(r, 'APPROVE')} data-testid="approve">
          {r.nextStep ? t('supervision.approval.approveTo', { step: t(`supervision.step.${r.nextStep}`) }) : t('supervision.approval.approve')}
        </Button>
      )}
      {r.availableActions.includes('RETURN') && (
        <Button size="small" danger onClick={() => setReturning(r)} data-testid="unapprove">
          {t('supervision.approval.unapprove')}
        </Button>
      )}
      {r.availableActions.includes('REOPEN') && (
        <Button size="small" onClick={() => setReopening(r)} data-testid="reopen">
          {r.reopenedUntil ? t('supervision.reopen.extend') : t('supervision.reopen.action')}
        </Button>
      )}
      <Button size="small" type="link" onClick={() => setHistory(r)} data-testid="history">
        {t('supervision.approval.history')}
      </Button>
    </Flex>
  );

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
        data-live={live}
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
                {!screens.md && lockTag(r)}
                {!screens.sm && <div style={{ marginTop: 8 }}>{actions(r)}</div>}
                {r.resubmittedAt && (
                  <Typography.Text type="secondary" style={{ fontSize: 12 }} data-testid="approval-resubmitted">
                    {t('supervision.approval.resubmitted')}
                    <br />
                    {formatTime(r.resubmittedAt)}
                  </Typography.Text>
                )}
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
          ...(locksByDate
            ? [{ key: 'lock', title: t('supervision.reopen.entry'), responsive: ['md' as const], render: (_v: unknown, r: Row) => lockTag(r) ?? <Typography.Text type="secondary">{t('supervision.reopen.until', { date: r.lockDate })}</Typography.Text> }]
            : []),
          { key: 'values', title: t('supervision.approval.values'), dataIndex: 'values', responsive: ['md'] },
          { key: 'submittedAt', title: t('supervision.approval.submittedAt'), responsive: ['lg'], render: (_v, r) => formatTime(r.resubmittedAt ?? r.submittedAt) },
          {
            key: 'actions',
            title: t('common.actions'),
            responsive: ['sm'],
            render: (_v, r) => actions(r),
          },
        ]}
      />
      {returning && (
        <UnapproveModal
          row={returning}
          period={period}
          dataSet={dataSet}
          onClose={(done) => {
            setReturning(null);
            if (done) reexecute({ requestPolicy: 'network-only' });
          }}
        />
      )}
      {reopening && (
        <ReopenModal
          row={reopening}
          period={period}
          dataSet={dataSet}
          onClose={(done) => {
            setReopening(null);
            if (done) reexecute({ requestPolicy: 'network-only' });
          }}
        />
      )}
      {history && <HistoryDrawer row={history} period={period} dataSet={dataSet} onClose={() => setHistory(null)} />}
    </QueryState>
  );
}

interface ModalProps {
  row: Row;
  period: string;
  dataSet: string;
  onClose: (done: boolean) => void;
}

function UnapproveModal({ row, period, dataSet, onClose }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ reason: string }>();
  const [{ fetching }, act] = useMutation(ReturnReportMutation);
  const [general, setGeneral] = useState<FieldError[]>([]);

  async function submit({ reason }: { reason: string }) {
    const r = await act({ input: { unit: row.unit.id, period, dataSet, reason } });
    if (r.error) return setGeneral([{ code: 'ERROR', message: errorText(r.error) }]);
    const errors = r.data?.returnSupervisionReport?.errors ?? [];
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

interface ReopenValues {
  until?: { format: (template: string) => string };
  reason: string;
}

/** Today in the reader's calendar, as the API writes dates (the server refuses earlier ones too). */
function today(): string {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function ReopenModal({ row, period, dataSet, onClose }: ModalProps) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<ReopenValues>();
  const [{ fetching }, reopen] = useMutation(ReopenReportMutation);
  const [general, setGeneral] = useState<FieldError[]>([]);

  async function submit(values: ReopenValues) {
    const until = values.until?.format('YYYY-MM-DD') ?? '';
    const r = await reopen({ input: { dataSet, unit: row.unit.id, period, until, reason: values.reason } });
    if (r.error) return setGeneral([{ code: 'ERROR', message: errorText(r.error) }]);
    const errors = r.data?.reopenSupervisionReport?.errors ?? [];
    if (errors.length) return setGeneral(applyFieldErrors(form, errors));
    message.success(t('supervision.reopen.done', { unit: row.unit.name, date: r.data?.reopenSupervisionReport?.until ?? until }));
    onClose(true);
  }

  return (
    <Modal
      open
      title={t('supervision.reopen.title', { unit: row.unit.name, period })}
      okText={t('supervision.reopen.confirm')}
      okButtonProps={{ loading: fetching, 'data-testid': 'confirm-reopen' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <Typography.Paragraph type="secondary">
        {row.lockDate ? t('supervision.reopen.intro', { date: row.lockDate }) : null}
        {row.reopenedUntil ? ` ${t('supervision.reopen.reopenedUntil', { date: row.reopenedUntil })}` : null}
      </Typography.Paragraph>
      <FormErrors errors={general} />
      <Form form={form} layout="vertical" onFinish={submit} data-testid="reopen-form">
        <Form.Item name="until" label={t('supervision.reopen.untilLabel')} rules={[{ required: true, message: t('supervision.reopen.untilRequired') }]}>
          <DatePicker style={{ width: '100%' }} disabledDate={(d) => d.format('YYYY-MM-DD') < today()} placeholder={t('supervision.reopen.untilPlaceholder')} />
        </Form.Item>
        <Form.Item
          name="reason"
          label={t('supervision.reopen.reason')}
          rules={[{ required: true, whitespace: true, message: t('supervision.reopen.reasonRequired') }, { max: 500 }]}
        >
          <Input.TextArea rows={3} maxLength={500} showCount placeholder={t('supervision.reopen.reasonPlaceholder')} />
        </Form.Item>
      </Form>
    </Modal>
  );
}

function HistoryDrawer({ row, period, dataSet, onClose }: { row: Row; period: string; dataSet: string; onClose: () => void }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [result, reexecute] = useQuery({ query: ApprovalEventsQuery, variables: { unit: row.unit.id, period, dataSet }, requestPolicy: 'network-only' });
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
