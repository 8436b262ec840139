// Add a department (under the chosen one, or at the top of a unit), rename one, or move one (with
// its sub-departments and wards) under another department of its unit or to the top. The server
// checks every rule; its errors land under their fields.
import { App, Form, Input, Modal, Radio, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { DepartmentKind } from '../../gql/graphql';
import { FormErrors } from '../../components/QueryState';
import { DepartmentPicker } from './DepartmentPicker';
import { useLifecycleSubmit } from './lifecycle';

const CreateDepartmentMutation = graphql(`
  mutation CreateDepartment($input: CreateDepartmentInput!) {
    createDepartment(input: $input) {
      department {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const RenameDepartmentMutation = graphql(`
  mutation RenameDepartment($input: RenameDepartmentInput!) {
    renameDepartment(input: $input) {
      department {
        id
        name
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const MoveDepartmentMutation = graphql(`
  mutation MoveDepartment($input: MoveDepartmentInput!) {
    moveDepartment(input: $input) {
      department {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export type DepartmentEdit = 'add' | 'rename' | 'move';

interface Props {
  mode: DepartmentEdit;
  /** The department chosen in the tree: the parent of a new one, or the one renamed or moved. */
  department: { id: string; name: string; unit?: { id: string; name: string } | null } | null;
  /** The units that hold top-level groups (where a department can be added at the top). */
  units: { id: string; name: string }[];
  onClose: () => void;
  onDone: () => void;
}

interface Values {
  parent?: string;
  unit?: string;
  code: string;
  name: string;
  kind: DepartmentKind;
}

export function DepartmentModal({ mode, department, units, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [created, create] = useMutation(CreateDepartmentMutation);
  const [renamed, rename] = useMutation(RenameDepartmentMutation);
  const [moved, move] = useMutation(MoveDepartmentMutation);
  const { problems, run } = useLifecycleSubmit(form);
  const parent = Form.useWatch('parent', form);

  async function submit() {
    const v = await form.validateFields();
    const ok = await run(async () => {
      if (mode === 'rename') {
        const r = await rename({ input: { department: department!.id, name: v.name.trim() } });
        return { error: r.error, payload: r.data?.renameDepartment };
      }
      if (mode === 'move') {
        const r = await move({ input: { department: department!.id, parent: v.parent || null } });
        return { error: r.error, payload: r.data?.moveDepartment };
      }
      const r = await create({
        input: { parent: v.parent || null, unit: v.parent ? null : v.unit, code: v.code.trim(), name: v.name.trim(), kind: v.kind },
      });
      return { error: r.error, payload: r.data?.createDepartment };
    });
    if (!ok) return;
    message.success(t(`org.deptDone.${mode}`, { name: mode === 'move' ? department!.name : v.name.trim() }));
    onDone();
  }

  const title = mode === 'add' ? t('org.deptAdd') : t(`org.deptTitle.${mode}`, { name: department?.name });
  return (
    <Modal open title={title} onCancel={onClose} onOk={submit} confirmLoading={created.fetching || renamed.fetching || moved.fetching} destroyOnHidden>
      <FormErrors errors={problems} />
      <Form
        form={form}
        layout="vertical"
        data-testid="department-form"
        initialValues={{
          parent: mode === 'add' ? department?.id : undefined,
          unit: department?.unit?.id ?? units[0]?.id,
          name: mode === 'rename' ? department?.name : undefined,
          kind: 'DEPARTMENT',
        }}
      >
        {mode !== 'rename' && (
          <Form.Item name="parent" label={mode === 'move' ? t('org.moveTo') : t('org.parentDepartment')} extra={t('org.topHint')}>
            <DepartmentPicker data-testid="dept-parent" />
          </Form.Item>
        )}
        {mode === 'add' && !parent && (
          <Form.Item name="unit" label={t('org.unit')} rules={[{ required: true, message: t('common.required') }]}>
            <Select options={units.map((u) => ({ value: u.id, label: u.name }))} />
          </Form.Item>
        )}
        {mode === 'add' && (
          <Form.Item name="code" label={t('org.deptCode')} rules={[{ required: true, message: t('common.required') }]}>
            <Input maxLength={32} data-testid="dept-code" />
          </Form.Item>
        )}
        {mode !== 'move' && (
          <Form.Item name="name" label={t('org.deptName')} rules={[{ required: true, whitespace: true, message: t('common.required') }]}>
            <Input maxLength={60} data-testid="dept-name" />
          </Form.Item>
        )}
        {mode === 'add' && (
          <Form.Item name="kind" label={t('org.deptKind')}>
            <Radio.Group
              options={(['GROUP', 'DEPARTMENT', 'WARD'] as const).map((k) => ({ value: k, label: t(`org.kind.${k}`) }))}
              optionType="button"
            />
          </Form.Item>
        )}
      </Form>
    </Modal>
  );
}
