import { useState } from 'react';
import { App, Form, Input, Modal, Spin } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { OrgUnitFieldsFragment } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { SearchSelect } from '../../components/SearchSelect';
import { OrgUnitsQuery } from './HierarchyPage';

const MoveOrgUnitMutation = graphql(`
  mutation MoveOrgUnit($input: MoveOrgUnitInput!) {
    moveOrgUnit(input: $input) {
      orgUnit {
        ...OrgUnitFields
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
  onMoved: () => void;
}

/** Moves a unit (with its subtree) under a new parent picked by name. */
export function MoveUnitModal({ open, unit, onClose, onMoved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<{ newParent: string; reason?: string }>();
  const [state, move] = useMutation(MoveOrgUnitMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);


  async function submit() {
    const values = await form.validateFields();
    setProblems([]);
    const result = await move({ input: { id: unit.id, newParent: values.newParent, reason: values.reason || null } });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.moveOrgUnit;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    message.success(t('hierarchy.moved', { name: unit.name }));
    onMoved();
  }
  return (
    <Modal open={open} title={t('hierarchy.moveTitle', { name: unit.name })} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t('hierarchy.move')}>
      <FormErrors errors={problems} />
      <Form form={form} layout="vertical" data-testid="move-form">
        <Form.Item name="newParent" label={t('hierarchy.newParent')} rules={[{ required: true, message: t('common.required') }]}>
          <SearchSelect
            query={OrgUnitsQuery}
            variables={(search) => ({ search, first: 30 })}
            pause={(search) => !open || !search}
            toOptions={(data) =>
              data.orgUnits.edges
                .map((e) => e?.node)
                .filter((n): n is OrgUnitFieldsFragment => !!n && n.id !== unit.id)
                .map((n) => ({ value: n.id, label: `${n.name}${t('common.paren', { text: t(`level.${n.level}`) })}` }))
            }
            placeholder={t('hierarchy.newParentPlaceholder')}
            empty={(s) => (s.fetching ? <Spin size="small" /> : null)}
          />
        </Form.Item>
        <Form.Item name="reason" label={t('hierarchy.reason')}>
          <Input.TextArea maxLength={200} rows={2} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
