import { useState } from 'react';
import { App, Form, Input, Modal, Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation } from 'urql';
import { graphql } from '../../gql';
import type { Level, OrgUnitFieldsFragment, UnitType } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { AUTHORITY_LEVELS, CHILD_LEVELS, unitTypesFor } from './levels';

const CreateOrgUnitMutation = graphql(`
  mutation CreateOrgUnit($input: CreateOrgUnitInput!) {
    createOrgUnit(input: $input) {
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

interface Values {
  level: Level;
  name: string;
  shortName?: string;
  unitType: UnitType;
  divisionCode?: string;
  creditCode?: string;
}

interface Props {
  open: boolean;
  parent: OrgUnitFieldsFragment | null;
  onClose: () => void;
  onCreated: (unit: OrgUnitFieldsFragment) => void;
}

/** A new unit under `parent`; every problem the server finds is shown on its field at once. */
export function CreateUnitModal({ open, parent, onClose, onCreated }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [state, create] = useMutation(CreateOrgUnitMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);
  // the server says which levels the parent takes (a township centre takes village clinics)
  const levels = parent ? parent.childLevels : CHILD_LEVELS.ROOT;
  const level = Form.useWatch('level', form);


  async function submit() {
    const values = await form.validateFields();
    setProblems([]);
    const result = await create({
      input: {
        parent: parent?.id ?? null,
        level: values.level,
        name: values.name,
        shortName: values.shortName || null,
        unitType: values.unitType,
        divisionCode: values.divisionCode || null,
        creditCode: values.creditCode || null,
      },
    });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.createOrgUnit;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    if (payload?.orgUnit) {
      message.success(t('hierarchy.created', { name: payload.orgUnit.name }));
      onCreated(payload.orgUnit);
    }
  }

  const authority = !!level && AUTHORITY_LEVELS.includes(level);
  return (
    <Modal
      open={open}
      title={parent ? t('hierarchy.addUnder', { name: parent.name }) : t('hierarchy.addProvince')}
      onCancel={onClose}
      onOk={submit}
      confirmLoading={state.fetching}
      okText={t('common.save')}

    >
      <FormErrors errors={problems} />
      <Form
        form={form}
        layout="vertical"
        data-testid="unit-form"
        initialValues={{ level: levels[0], unitType: levels[0] && AUTHORITY_LEVELS.includes(levels[0]) ? 'HEALTH_COMMISSION' : undefined }}
      >
        <Form.Item name="level" label={t('unit.level')} rules={[{ required: true, message: t('common.required') }]}>
          <Select
            options={levels.map((l) => ({ value: l, label: t(`level.${l}`) }))}
            onChange={(l: Level) => form.setFieldsValue({ unitType: AUTHORITY_LEVELS.includes(l) ? 'HEALTH_COMMISSION' : undefined, divisionCode: undefined })}
          />
        </Form.Item>
        <Form.Item name="name" label={t('unit.name')} rules={[{ required: true, message: t('common.required') }]}>
          <Input maxLength={100} />
        </Form.Item>
        <Form.Item name="shortName" label={t('unit.shortName')}>
          <Input maxLength={40} />
        </Form.Item>
        <Form.Item name="unitType" label={t('unit.unitType')} rules={[{ required: true, message: t('common.required') }]}>
          <Select options={unitTypesFor(level, parent?.level).map((u) => ({ value: u, label: t(`unitType.${u}`) }))} />
        </Form.Item>
        {authority && (
          <Form.Item name="divisionCode" label={t('unit.divisionCode')} extra={t('unit.divisionCodeHint')}>
            <Input maxLength={12} inputMode="numeric" />
          </Form.Item>
        )}
        <Form.Item name="creditCode" label={t('unit.creditCode')}>
          <Input maxLength={18} />
        </Form.Item>
      </Form>
    </Modal>
  );
}
