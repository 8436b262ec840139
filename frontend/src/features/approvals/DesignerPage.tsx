// A simple form and flow designer for approval administrators (approvals.manage): fields of the
// supported kinds added, removed and reordered; a chain of approver nodes (依次/会签/或签, who
// approves) and one condition branch; saved as a new template or a new version of one.
import { useState } from 'react';
import { Alert, App, Button, Card, Checkbox, Col, Flex, Input, InputNumber, Row, Select, Space, Switch, Typography } from 'antd';
import { ArrowDownOutlined, ArrowUpOutlined, DeleteOutlined, PlusOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorText, type FieldError } from '../../api/errors';
import { FormErrors, QueryState } from '../../components/QueryState';
import { ApprovalForm, parseJson } from './ApprovalForm';
import { FIELD_KINDS, fromFlow, fromSchemas, newNode, toFlow, toSchemas, type DesignBranch, type DesignField, type DesignNode } from './design';
import { ApprovalTemplatesQuery } from './operations';

const CreateTemplateMutation = graphql(`
  mutation CreateApprovalTemplate($input: CreateApprovalTemplateInput!) {
    createApprovalTemplate(input: $input) {
      template {
        id
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

const PublishVersionMutation = graphql(`
  mutation PublishApprovalTemplateVersion($input: PublishApprovalTemplateVersionInput!) {
    publishApprovalTemplateVersion(input: $input) {
      version {
        number
      }
      errors {
        ...ApprovalMutationError
      }
    }
  }
`);

interface Draft {
  id: string | null;
  key: string;
  name: string;
  category: string;
  fields: DesignField[];
  nodes: DesignNode[];
  branch: DesignBranch | null;
  lossy: boolean;
}

const EMPTY: Draft = { id: null, key: '', name: '', category: '', fields: [], nodes: [], branch: null, lossy: false };

function move<T>(list: T[], i: number, by: number): T[] {
  const out = [...list];
  const j = i + by;
  if (j < 0 || j >= out.length) return out;
  [out[i], out[j]] = [out[j], out[i]];
  return out;
}

export default function DesignerPage() {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [result, reexecute] = useQuery({ query: ApprovalTemplatesQuery, variables: { startable: false } });
  const [draft, setDraft] = useState<Draft>(EMPTY);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const [created, create] = useMutation(CreateTemplateMutation);
  const [published, publish] = useMutation(PublishVersionMutation);
  const templates = (result.data?.approvalTemplates ?? []).filter((x) => x.canManage);
  const set = (patch: Partial<Draft>) => setDraft((d) => ({ ...d, ...patch }));
  const setField = (i: number, patch: Partial<DesignField>) => set({ fields: draft.fields.map((f, j) => (j === i ? { ...f, ...patch } : f)) });
  const setNode = (i: number, patch: Partial<DesignNode>) => set({ nodes: draft.nodes.map((n, j) => (j === i ? { ...n, ...patch } : n)) });

  function load(id: string) {
    const x = templates.find((y) => y.id === id);
    const v = x?.currentVersion;
    if (!x || !v) return;
    const flow = fromFlow(parseJson(v.flow));
    setDraft({ id: x.id, key: x.key, name: x.name, category: x.category, fields: fromSchemas(parseJson(v.formSchema), parseJson(v.uiSchema)), ...flow });
    setProblems([]);
  }

  async function save() {
    const { schema, ui } = toSchemas(draft.fields);
    const common = { formSchema: JSON.stringify(schema), uiSchema: JSON.stringify(ui), flow: JSON.stringify(toFlow(draft.nodes, draft.branch)) };
    setProblems([]);
    const r = draft.id
      ? await publish({ input: { ...common, template: draft.id } })
      : await create({ input: { ...common, key: draft.key, name: draft.name, category: draft.category || undefined } });
    if (r.error) return setProblems([{ code: 'REQUEST', message: errorText(r.error) }]);
    const d = r.data as { createApprovalTemplate?: { errors: FieldError[]; template?: { id: string } | null }; publishApprovalTemplateVersion?: { errors: FieldError[] } } | undefined;
    const payload = d?.createApprovalTemplate ?? d?.publishApprovalTemplateVersion;
    if (payload?.errors.length) return setProblems(payload.errors);
    message.success(t('approvals.designer.saved'));
    if (d?.createApprovalTemplate?.template) set({ id: d.createApprovalTemplate.template.id });
    reexecute({ requestPolicy: 'network-only' });
  }

  const preview = toSchemas(draft.fields);
  const numericFields = draft.fields.filter((f) => f.kind === 'number' || f.kind === 'money' || f.kind === 'dateRange' || f.kind === 'choice');
  const nodeEditor = (n: DesignNode, change: (patch: Partial<DesignNode>) => void, testid: string) => (
    <Flex gap={8} wrap data-testid={testid}>
      <Input value={n.name} onChange={(e) => change({ name: e.target.value })} placeholder={t('approvals.designer.nodeName')} style={{ width: 140 }} aria-label={t('approvals.designer.nodeName')} />
      <Select value={n.mode} onChange={(mode) => change({ mode })} style={{ width: 110 }} options={(['seq', 'all', 'any'] as const).map((m) => ({ value: m, label: t(`approvals.mode.${m}`) }))} />
      <Select value={n.kind} onChange={(kind) => change({ kind })} style={{ width: 150 }} options={(['department_head', 'role', 'chosen', 'submitter'] as const).map((k) => ({ value: k, label: t(`approvals.designer.assignee.${k}`) }))} />
      {n.kind === 'department_head' && <InputNumber min={1} max={5} value={n.level} onChange={(level) => change({ level: level ?? 1 })} addonBefore={t('approvals.designer.level')} style={{ width: 130 }} />}
      {n.kind === 'role' && <Input value={n.role} onChange={(e) => change({ role: e.target.value })} placeholder="approvals_admin" style={{ width: 150 }} />}
    </Flex>
  );

  return (
    <Card title={t('approvals.designer.title')} data-testid="approval-designer">
      <QueryState fetching={result.fetching} error={result.error} hasData={!!result.data} onRetry={() => reexecute({ requestPolicy: 'network-only' })}>
        <Flex gap={8} wrap style={{ marginBottom: 16 }}>
          <Select style={{ minWidth: 200 }} placeholder={t('approvals.designer.pick')} value={draft.id ?? undefined} onChange={load} options={templates.map((x) => ({ value: x.id, label: x.name }))} />
          <Button icon={<PlusOutlined />} onClick={() => setDraft(EMPTY)} data-testid="designer-new">
            {t('approvals.designer.new')}
          </Button>
        </Flex>
        {!draft.id && (
          <Flex gap={8} wrap style={{ marginBottom: 16 }}>
            <Input value={draft.name} onChange={(e) => set({ name: e.target.value })} placeholder={t('approvals.designer.name')} aria-label={t('approvals.designer.name')} style={{ width: 200 }} />
            <Input value={draft.key} onChange={(e) => set({ key: e.target.value })} placeholder={t('approvals.designer.key')} aria-label={t('approvals.designer.key')} style={{ width: 160 }} />
            <Input value={draft.category} onChange={(e) => set({ category: e.target.value })} placeholder={t('approvals.designer.category')} aria-label={t('approvals.designer.category')} style={{ width: 120 }} />
          </Flex>
        )}
        {draft.lossy && <Alert type="warning" showIcon title={t('approvals.designer.lossy')} style={{ marginBottom: 16 }} />}
        <FormErrors errors={problems} />
        <Row gutter={[16, 16]}>
          <Col xs={24} lg={14}>
            <Typography.Title level={5}>{t('approvals.designer.fields')}</Typography.Title>
            {draft.fields.map((f, i) => (
              <Card size="small" key={i} style={{ marginBottom: 8 }} data-testid="designer-field">
                <Flex gap={8} wrap align="center">
                  <Input value={f.title} onChange={(e) => setField(i, { title: e.target.value })} placeholder={t('approvals.designer.fieldTitle')} aria-label={t('approvals.designer.fieldTitle')} style={{ width: 140 }} />
                  <Input value={f.key} onChange={(e) => setField(i, { key: e.target.value })} placeholder="leaveType" aria-label={t('approvals.designer.fieldKey')} style={{ width: 110 }} />
                  <Select value={f.kind} onChange={(kind) => setField(i, { kind })} style={{ width: 120 }} options={FIELD_KINDS.map((k) => ({ value: k, label: t(`approvals.designer.kind.${k}`) }))} aria-label={t('approvals.designer.fieldKind')} />
                  <Checkbox checked={f.required} onChange={(e) => setField(i, { required: e.target.checked })}>
                    {t('approvals.designer.required')}
                  </Checkbox>
                  <Space size={0}>
                    <Button type="text" icon={<ArrowUpOutlined />} onClick={() => set({ fields: move(draft.fields, i, -1) })} aria-label={t('approvals.designer.up')} />
                    <Button type="text" icon={<ArrowDownOutlined />} onClick={() => set({ fields: move(draft.fields, i, 1) })} aria-label={t('approvals.designer.down')} />
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => set({ fields: draft.fields.filter((_, j) => j !== i) })} aria-label={t('approvals.designer.remove')} />
                  </Space>
                </Flex>
                {(f.kind === 'choice' || f.kind === 'choices') && (
                  <Select mode="tags" value={f.options} onChange={(options) => setField(i, { options })} placeholder={t('approvals.designer.options')} style={{ width: '100%', marginTop: 8 }} aria-label={t('approvals.designer.options')} />
                )}
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => set({ fields: [...draft.fields, { key: `f${draft.fields.length + 1}`, title: '', kind: 'text', required: false, options: [] }] })} data-testid="add-field">
              {t('approvals.designer.addField')}
            </Button>
            <Typography.Title level={5} style={{ marginTop: 24 }}>
              {t('approvals.designer.flow')}
            </Typography.Title>
            {draft.nodes.map((n, i) => (
              <Card size="small" key={n.id} style={{ marginBottom: 8 }}>
                <Flex gap={8} wrap align="center">
                  {nodeEditor(n, (patch) => setNode(i, patch), 'designer-node')}
                  <Space size={0}>
                    <Button type="text" icon={<ArrowUpOutlined />} onClick={() => set({ nodes: move(draft.nodes, i, -1) })} aria-label={t('approvals.designer.up')} />
                    <Button type="text" icon={<ArrowDownOutlined />} onClick={() => set({ nodes: move(draft.nodes, i, 1) })} aria-label={t('approvals.designer.down')} />
                    <Button type="text" danger icon={<DeleteOutlined />} onClick={() => set({ nodes: draft.nodes.filter((_, j) => j !== i) })} aria-label={t('approvals.designer.remove')} />
                  </Space>
                </Flex>
              </Card>
            ))}
            <Button icon={<PlusOutlined />} onClick={() => set({ nodes: [...draft.nodes, newNode(t('approvals.designer.approver'))] })} data-testid="add-node">
              {t('approvals.designer.addNode')}
            </Button>
            <Card size="small" style={{ marginTop: 16 }} title={
              <Flex gap={8} align="center">
                <Switch
                  checked={!!draft.branch}
                  onChange={(on) => set({ branch: on ? { field: numericFields[0]?.key ?? '', op: 'gt', value: '', name: '', node: newNode(t('approvals.designer.approver')) } : null })}
                  data-testid="branch-switch"
                />
                {t('approvals.designer.branch')}
              </Flex>
            }>
              {draft.branch && (
                <Flex vertical gap={8} data-testid="designer-branch">
                  <Flex gap={8} wrap>
                    <Select
                      value={draft.branch.field || undefined}
                      onChange={(field) => set({ branch: { ...draft.branch!, field } })}
                      style={{ width: 150 }}
                      aria-label={t('approvals.designer.branchField')}
                      options={numericFields.map((f) => ({ value: f.kind === 'dateRange' ? `${f.key}.days` : f.key, label: f.kind === 'dateRange' ? t('approvals.designer.daysOf', { field: f.title }) : f.title }))}
                    />
                    <Select value={draft.branch.op} onChange={(op) => set({ branch: { ...draft.branch!, op } })} style={{ width: 80 }} options={(['gt', 'gte', 'lt', 'lte', 'eq', 'ne'] as const).map((o) => ({ value: o, label: t(`approvals.designer.op.${o}`) }))} />
                    <Input value={draft.branch.value} onChange={(e) => set({ branch: { ...draft.branch!, value: e.target.value } })} style={{ width: 100 }} aria-label={t('approvals.designer.branchValue')} />
                    <Input value={draft.branch.name} onChange={(e) => set({ branch: { ...draft.branch!, name: e.target.value } })} placeholder={t('approvals.designer.branchName')} aria-label={t('approvals.designer.branchName')} style={{ width: 140 }} />
                  </Flex>
                  <Typography.Text type="secondary">{t('approvals.designer.thenApprove')}</Typography.Text>
                  {nodeEditor(draft.branch.node, (patch) => set({ branch: { ...draft.branch!, node: { ...draft.branch!.node, ...patch } } }), 'designer-branch-node')}
                </Flex>
              )}
            </Card>
            <Button type="primary" block style={{ marginTop: 16 }} onClick={() => void save()} loading={created.fetching || published.fetching} data-testid="designer-save">
              {draft.id ? t('approvals.designer.publish') : t('approvals.designer.create')}
            </Button>
          </Col>
          <Col xs={24} lg={10}>
            <Typography.Title level={5}>{t('approvals.designer.preview')}</Typography.Title>
            {draft.fields.length > 0 && <ApprovalForm schema={preview.schema} uiSchema={preview.ui} formData={{}} />}
          </Col>
        </Row>
      </QueryState>
    </Card>
  );
}
