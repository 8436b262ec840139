// Threshold alerts on the dashboard: the alerts set at the node or below it, a form to add one
// or change one's threshold and whether it is active, and the firings in the dashboard's period.
// Shown only to supervisors of the node (supervision.view_aggregates); a unit looking at its own
// numbers sees no panel.
import { useState, type HTMLAttributes } from 'react';
import { App, Button, Card, Flex, Form, Grid, InputNumber, Modal, Select, Space, Switch, Table, Tag, Typography } from 'antd';
import { PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import type { ButtonProps } from 'antd';
import type { SupervisionAlertsQuery } from '../../gql/graphql';
import { applyFieldErrors, errorText, topLevelCode, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { formatTime } from '../../components/time';
import { shown } from './format';
import { AlertsQuery, SaveAlertMutation } from './operations';

type Alert = SupervisionAlertsQuery['supervisionAlerts'][number];
type Firing = SupervisionAlertsQuery['supervisionAlertFirings'][number];

export interface IndicatorChoice {
  code: string;
  name: string;
  unitLabel: string;
}

// The API's operators and how people write them.
const OPERATORS = ['>=', '>', '<=', '<', '==', '!='] as const;
const SYMBOL: Record<string, string> = { '<=': '≤', '<': '<', '==': '=', '!=': '≠', '>=': '≥', '>': '>' };

const condition = (operator: string, threshold: number, unitLabel: string) => `${SYMBOL[operator] ?? operator} ${threshold}${unitLabel}`;
// (On phones the tables wrap their text instead of scrolling sideways.)

export function AlertsPanel({ unit, period, indicators }: { unit: string; period: string; indicators: readonly IndicatorChoice[] }) {
  const { t } = useTranslation();
  const screens = Grid.useBreakpoint();
  const [result, reexecute] = useQuery({ query: AlertsQuery, variables: { node: unit, period } });
  const [editing, setEditing] = useState<Alert | 'new' | null>(null);
  if (topLevelCode(result.error) === 'PERMISSION_DENIED') return null;
  const alerts = result.data?.supervisionAlerts ?? [];
  const firings = result.data?.supervisionAlertFirings ?? [];
  const retry = () => reexecute({ requestPolicy: 'network-only' });
  const activeTag = (a: Alert) => (
    <Tag color={a.active ? 'success' : 'default'} data-testid="alert-active">
      {a.active ? t('supervision.alerts.on') : t('supervision.alerts.off')}
    </Tag>
  );

  return (
    <Card
      title={t('supervision.alerts.title')}
      size="small"
      data-testid="alerts-panel"
      extra={
        <Button size="small" type="primary" icon={<PlusOutlined />} onClick={() => setEditing('new')} disabled={!indicators.length} data-testid="add-alert">
          {screens.sm ? t('supervision.alerts.add') : null}
        </Button>
      }
    >
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={retry}>
        <Flex vertical gap={16}>
          <Table<Alert>
            rowKey="id"
            dataSource={alerts}
            pagination={alerts.length > 10 ? { pageSize: 10 } : false}
            size="small"
            scroll={screens.sm ? { x: 'max-content' } : undefined}
            locale={{ emptyText: t('supervision.alerts.empty') }}
            data-testid="alerts-table"
            onRow={(a) => ({ 'data-testid': 'alert-row', 'data-indicator': a.indicator.code }) as HTMLAttributes<HTMLElement>}
            columns={[
              {
                key: 'indicator',
                title: t('supervision.alerts.indicator'),
                render: (_v, a) => (
                  <Space orientation="vertical" size={0}>
                    <Typography.Text>{a.indicator.name}</Typography.Text>
                    {!screens.sm && (
                      <Space size={4}>
                        <Typography.Text type="secondary" data-testid="alert-condition">
                          {condition(a.operator, a.threshold, a.indicator.unitLabel)}
                        </Typography.Text>
                        {activeTag(a)}
                      </Space>
                    )}
                  </Space>
                ),
              },
              {
                key: 'condition',
                title: t('supervision.alerts.condition'),
                responsive: ['sm'],
                render: (_v, a) => <span data-testid="alert-condition">{condition(a.operator, a.threshold, a.indicator.unitLabel)}</span>,
              },
              { key: 'node', title: t('supervision.alerts.node'), responsive: ['md'], render: (_v, a) => a.node.name },
              { key: 'active', title: t('supervision.alerts.active'), responsive: ['sm'], render: (_v, a) => activeTag(a) },
              {
                key: 'actions',
                title: t('common.actions'),
                render: (_v, a) => (
                  <Button size="small" type="link" onClick={() => setEditing(a)} data-testid="edit-alert">
                    {t('supervision.alerts.edit')}
                  </Button>
                ),
              },
            ]}
          />
          <div>
            <Typography.Title level={5} style={{ marginTop: 0 }}>
              {t('supervision.alerts.firings', { period })}
            </Typography.Title>
            <Table<Firing>
              rowKey={(f) => `${f.alert.id}-${f.node.id}-${f.period}`}
              dataSource={firings}
              pagination={firings.length > 10 ? { pageSize: 10 } : false}
              size="small"
              scroll={screens.sm ? { x: 'max-content' } : undefined}
              locale={{ emptyText: t('supervision.alerts.noFirings') }}
              data-testid="alert-firings"
              columns={[
                { key: 'period', title: t('supervision.alerts.period'), dataIndex: 'period', responsive: ['sm'] },
                {
                  key: 'node',
                  title: t('supervision.alerts.crossedBy'),
                  render: (_v, f) => (
                    <Space orientation="vertical" size={0}>
                      <Typography.Text>{f.node.name}</Typography.Text>
                      <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                        {screens.sm ? f.alert.indicator.name : `${f.period} · ${f.alert.indicator.name}`}
                      </Typography.Text>
                    </Space>
                  ),
                },
                {
                  key: 'value',
                  title: t('supervision.alerts.value'),
                  align: 'right',
                  render: (_v, f) => (
                    <Typography.Text type="danger" style={{ whiteSpace: 'nowrap' }}>
                      {shown(f.value)}
                      {f.alert.indicator.unitLabel}
                    </Typography.Text>
                  ),
                },
                {
                  key: 'threshold',
                  title: t('supervision.alerts.condition'),
                  responsive: ['sm'],
                  render: (_v, f) => condition(f.alert.operator, f.alert.threshold, f.alert.indicator.unitLabel),
                },
                { key: 'at', title: t('supervision.alerts.time'), responsive: ['md'], render: (_v, f) => formatTime(f.firedAt) },
              ]}
            />
          </div>
        </Flex>
      </QueryState>
      {editing && (
        <AlertModal
          alert={editing === 'new' ? null : editing}
          unit={unit}
          indicators={indicators}
          onClose={(done) => {
            setEditing(null);
            if (done) retry();
          }}
        />
      )}
    </Card>
  );
}

interface AlertValues {
  indicator: string;
  operator: string;
  threshold: number | null;
  active: boolean;
}

/** A new alert at the node, or an existing one: its indicator and operator identify it (the
 * server changes the alert with the same indicator, node and operator), so they stay fixed. */
function AlertModal({ alert, unit, indicators, onClose }: { alert: Alert | null; unit: string; indicators: readonly IndicatorChoice[]; onClose: (done: boolean) => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<AlertValues>();
  const [{ fetching }, save] = useMutation(SaveAlertMutation);
  const [general, setGeneral] = useState<FieldError[]>([]);
  const indicator = Form.useWatch('indicator', form);
  const unitLabel = indicators.find((i) => i.code === indicator)?.unitLabel ?? '';

  async function submit(values: AlertValues) {
    const r = await save({
      input: { indicator: values.indicator, node: alert?.node.id ?? unit, operator: values.operator, threshold: String(values.threshold), active: values.active },
    });
    if (r.error) return setGeneral([{ code: 'ERROR', message: errorText(r.error) }]);
    const errors = r.data?.saveSupervisionAlert?.errors ?? [];
    if (errors.length) return setGeneral(applyFieldErrors(form, errors));
    message.success(t('supervision.alerts.saved'));
    onClose(true);
  }

  return (
    <Modal
      open
      title={alert ? t('supervision.alerts.editTitle', { indicator: alert.indicator.name }) : t('supervision.alerts.addTitle')}
      okText={t('common.save')}
      okButtonProps={{ loading: fetching, 'data-testid': 'save-alert' } as ButtonProps}
      onOk={() => form.submit()}
      onCancel={() => onClose(false)}
      destroyOnHidden
    >
      <FormErrors errors={general} />
      <Form<AlertValues>
        form={form}
        layout="vertical"
        onFinish={submit}
        data-testid="alert-form"
        initialValues={alert ? { indicator: alert.indicator.code, operator: alert.operator, threshold: alert.threshold, active: alert.active } : { operator: '>=', threshold: null, active: true }}
      >
        <Form.Item
          name="indicator"
          label={t('supervision.alerts.indicator')}
          rules={[{ required: true, message: t('supervision.alerts.indicatorRequired') }]}
          extra={alert ? t('supervision.alerts.fixed') : undefined}
        >
          <Select options={indicators.map((i) => ({ value: i.code, label: i.name }))} showSearch={{ optionFilterProp: 'label' }} disabled={!!alert} placeholder={t('supervision.alerts.indicatorPlaceholder')} />
        </Form.Item>
        <Flex gap={12}>
          <Form.Item name="operator" label={t('supervision.alerts.operator')} style={{ width: 96 }} rules={[{ required: true }]}>
            <Select options={OPERATORS.map((o) => ({ value: o, label: SYMBOL[o] }))} disabled={!!alert} aria-label={t('supervision.alerts.operator')} />
          </Form.Item>
          <Form.Item name="threshold" label={t('supervision.alerts.threshold')} style={{ flex: 1 }} rules={[{ required: true, message: t('supervision.alerts.thresholdRequired') }]}>
            <InputNumber style={{ width: '100%' }} suffix={unitLabel || undefined} placeholder={t('supervision.alerts.thresholdPlaceholder')} />
          </Form.Item>
        </Flex>
        <Form.Item name="active" label={t('supervision.alerts.active')} valuePropName="checked">
          <Switch />
        </Form.Item>
      </Form>
    </Modal>
  );
}
