// 入职: a new person joins the tenant. The account is found by ID number (or pre-registered);
// at the effective time the person becomes active in the chosen department and its unit.
import { useState } from 'react';
import { App, Form, Input, Modal, Radio } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { EmploymentType } from '../../gql/graphql';
import { FormErrors } from '../../components/QueryState';
import { DepartmentPicker } from './DepartmentPicker';
import { EffectiveAtField, PostFields, nowLocal, toIso, useLifecycleSubmit } from './lifecycle';

const OnboardMutation = graphql(`
  mutation OnboardStaff($input: OnboardStaffInput!) {
    onboardStaff(input: $input) {
      contact {
        id
        name
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

interface Values {
  staffNo: string;
  name: string;
  idNumber: string;
  mobile: string;
  departmentId: string;
  post?: string;
  position?: string;
  title?: string;
  employmentType: EmploymentType;
  officePhone?: string;
  effectiveAt: string;
}

export function OnboardModal({ onClose, onDone }: { onClose: () => void; onDone: () => void }) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [state, onboard] = useMutation(OnboardMutation);
  const [unitId, setUnitId] = useState<string | null>(null);
  const { problems, run } = useLifecycleSubmit(form);

  async function submit() {
    const v = await form.validateFields();
    const ok = await run(async () => {
      const r = await onboard({
        input: {
          staffNo: v.staffNo.trim(),
          name: v.name.trim(),
          idNumber: v.idNumber.trim(),
          mobile: v.mobile.trim(),
          department: v.departmentId,
          unit: unitId ?? '',
          post: v.post || null,
          position: v.position || null,
          title: v.title || null,
          employmentType: v.employmentType,
          officePhone: v.officePhone || null,
          effectiveAt: toIso(v.effectiveAt),
        },
      });
      return { error: r.error, payload: r.data?.onboardStaff };
    });
    if (!ok) return;
    message.success(t('org.onboarded', { name: v.name }));
    onDone();
  }

  return (
    <Modal open title={t('org.onboardTitle')} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t('org.onboard')} destroyOnHidden>
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" data-testid="onboard-form" initialValues={{ employmentType: 'OWN', effectiveAt: nowLocal() }}>
        <Form.Item name="name" label={t('org.name')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={50} />
        </Form.Item>
        <Form.Item name="staffNo" label={t('org.staffNo')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={32} />
        </Form.Item>
        <Form.Item name="idNumber" label={t('org.idNumber')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={18} autoComplete="off" />
        </Form.Item>
        <Form.Item name="mobile" label={t('org.mobile')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={11} inputMode="numeric" />
        </Form.Item>
        <Form.Item name="departmentId" label={t('org.primaryDepartment')} rules={[{ required: true, message: t('common.required') }]}>
          <DepartmentPicker forPeople data-testid="onboard-department" onPicked={(d) => setUnitId(d?.unitId ?? null)} />
        </Form.Item>
        <PostFields />
        <Form.Item name="employmentType" label={t('org.employmentType')}>
          <Radio.Group options={(['OWN', 'THIRD_PARTY'] as const).map((e) => ({ value: e, label: t(`employmentType.${e}`) }))} />
        </Form.Item>
        <EffectiveAtField />
      </Form>
    </Modal>
  );
}
