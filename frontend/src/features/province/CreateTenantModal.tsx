import { useState } from 'react';
import { App, Form, Input, Modal } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { OrgUnitFieldsFragment } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';

const CreateTenantMutation = graphql(`
  mutation CreateTenant($input: CreateTenantInput!) {
    createTenant(input: $input) {
      tenant {
        id
        slug
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

interface Props {
  open: boolean;
  unit: OrgUnitFieldsFragment;
  onClose: () => void;
  onCreated: (slug: string) => void;
}

/** Opens a tenant (its own schema) for a community's lead unit or a standalone hospital. */
export function CreateTenantModal({ open, unit, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ slug: string; name?: string }>();
  const [state, create] = useMutation(CreateTenantMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);


  async function submit() {
    const values = await form.validateFields();
    setProblems([]);
    const result = await create({ input: { orgUnit: unit.id, slug: values.slug.trim(), name: values.name || null } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.createTenant;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    if (payload?.tenant) {
      message.success(t('tenants.created', { name: payload.tenant.name }));
      onCreated(payload.tenant.slug);
    }
  }

  return (
    <Modal open={open} title={t('hierarchy.openTenantFor', { name: unit.name })} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t('hierarchy.openTenant')}>
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" data-testid="tenant-form">
        <Form.Item name="slug" label={t('tenants.slug')} extra={t('tenants.slugHint')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="name" label={t('tenants.name')} extra={t('tenants.nameHint')}>
          <Input maxLength={100} placeholder={unit.name} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
