// The lifecycle steps on a person in the staff list: 调动 (another department, and with it its
// unit), 调岗 (post, position, title), 离职 (leaving: memberships and grants end, pending work goes
// to the successor or the department head). Each takes effect at its time; now applies at once.
import { useState } from 'react';
import { Alert, App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import { FormErrors } from '../../components/QueryState';
import { ContactPicker } from './ContactPicker';
import { DepartmentPicker } from './DepartmentPicker';
import { EffectiveAtField, PostFields, nowLocal, toIso, useLifecycleSubmit } from './lifecycle';

graphql(`
  fragment LifecycleEventFields on LifecycleEvent {
    id
    kind
    status
    effectiveAt
    reason
    payload
    staff {
      id
      name
      staffNo
      status
    }
  }
`);

const TransferMutation = graphql(`
  mutation TransferStaff($input: TransferStaffInput!) {
    transferStaff(input: $input) {
      event {
        ...LifecycleEventFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const ChangePostMutation = graphql(`
  mutation ChangeStaffPost($input: ChangeStaffPostInput!) {
    changeStaffPost(input: $input) {
      event {
        ...LifecycleEventFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

const LeaveMutation = graphql(`
  mutation ScheduleLeave($input: ScheduleLeaveInput!) {
    scheduleLeave(input: $input) {
      event {
        ...LifecycleEventFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export type StaffAction = 'transfer' | 'post' | 'leave';

export interface StaffRow {
  id: string;
  userId: string;
  name: string;
  post: string;
  position: string;
  title: string;
  unit?: { id: string } | null;
  departments: readonly { id: string; name: string }[];
}

interface Values {
  departmentId?: string;
  post?: string;
  position?: string;
  title?: string;
  successorId?: string;
  reason?: string;
  effectiveAt: string;
}

interface Props {
  action: StaffAction;
  staff: StaffRow;
  onClose: () => void;
  onDone: () => void;
}

export function StaffActionModal({ action, staff, onClose, onDone }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [transferState, transfer] = useMutation(TransferMutation);
  const [postState, changePost] = useMutation(ChangePostMutation);
  const [leaveState, leave] = useMutation(LeaveMutation);
  const [unitId, setUnitId] = useState<string | null>(null);
  const { problems, run } = useLifecycleSubmit(form);

  async function submit() {
    const v = await form.validateFields();
    const common = { contact: staff.id, effectiveAt: toIso(v.effectiveAt), reason: v.reason || null };
    const ok = await run(async () => {
      if (action === 'transfer') {
        // A department of another member unit moves the person to that unit too.
        const unit = unitId && unitId !== staff.unit?.id ? unitId : null;
        const r = await transfer({ input: { ...common, department: v.departmentId ?? null, unit, successor: v.successorId ?? null } });
        return { error: r.error, payload: r.data?.transferStaff };
      }
      if (action === 'post') {
        const r = await changePost({ input: { ...common, post: v.post ?? null, position: v.position ?? null, title: v.title ?? null } });
        return { error: r.error, payload: r.data?.changeStaffPost };
      }
      const r = await leave({ input: { ...common, successor: v.successorId ?? null } });
      return { error: r.error, payload: r.data?.scheduleLeave };
    });
    if (!ok) return;
    const due = new Date(v.effectiveAt).getTime() <= Date.now();
    message.success(t(due ? 'org.actionApplied' : 'org.actionScheduled', { name: staff.name }));
    onDone();
  }

  const fetching = transferState.fetching || postState.fetching || leaveState.fetching;
  return (
    <Modal
      open
      title={t(`org.actionTitle.${action}`, { name: staff.name })}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={fetching}
      okText={t(`org.action.${action}`)}
      okButtonProps={{ danger: action === 'leave', ...{ 'data-testid': 'confirm-action' } }}
      destroyOnHidden
    >
      <FormErrors errors={problems} />
      {action === 'leave' && <Alert type="warning" showIcon style={{ marginBottom: 16 }} title={t('org.leaveWarning')} />}
      <Form
        form={form}
        layout="vertical"
        data-testid="staff-action-form"
        initialValues={{ effectiveAt: nowLocal(), post: staff.post, position: staff.position, title: staff.title }}
      >
        {action === 'transfer' && (
          <Form.Item
            name="departmentId"
            label={t('org.toDepartment')}
            extra={staff.departments.length ? t('org.currentDepartment', { name: staff.departments.map((d) => d.name).join('、') }) : undefined}
            rules={[{ required: true, message: t('common.required') }]}
          >
            <DepartmentPicker forPeople data-testid="transfer-department" onPicked={(d) => setUnitId(d?.unitId ?? null)} />
          </Form.Item>
        )}
        {action === 'post' && <PostFields />}
        {action !== 'post' && (
          <Form.Item name="successorId" label={t('org.successor')} extra={t('org.successorHint')}>
            <ContactPicker data-testid="successor" exclude={staff.userId} />
          </Form.Item>
        )}
        <EffectiveAtField />
        <Form.Item name="reason" label={t('org.reason')}>
          <Input.TextArea maxLength={200} autoSize={{ minRows: 1, maxRows: 3 }} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
