// Who in this unit sees an app: roles, units (with their subtree), departments (with their
// sub-departments), tags (head nurses …) and individual people, picked from the contacts by name
// or pinyin; groups set elsewhere are kept. Nothing chosen means everyone. Stored ids are the
// server's primary keys; the form works with global ids.
import { useMemo, useState } from 'react';
import { App, Form, Modal, Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useMutation, useQuery } from 'urql';
import { graphql } from '../../gql';
import type { MarketAppFieldsFragment } from '../../gql/graphql';
import { applyFieldErrors, errorText, type FieldError } from '../../api/errors';
import { FormErrors } from '../../components/QueryState';
import { SearchSelect } from '../../components/SearchSelect';
import { OrgUnitsQuery } from '../province/HierarchyPage';
import { ContactPicker } from '../org/ContactPicker';
import { DepartmentPicker } from '../org/DepartmentPicker';

const VisibilityTagsQuery = graphql(`
  query VisibilityTags($first: Int) {
    tags(first: $first) {
      edges {
        node {
          id
          code
          name
        }
      }
    }
  }
`);

const SetVisibilityMutation = graphql(`
  mutation SetAppVisibility($input: SetAppVisibilityInput!) {
    setAppVisibility(input: $input) {
      installation {
        visibility
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

/** The built-in roles of a unit (jianlian.access.permissions); a custom role's code can be typed. */
const ROLES = ['tenant_admin', 'unit_admin', 'doctor', 'staff'];

const globalId = (type: string, pk: number | string) => btoa(`${type}:${pk}`);

interface Visibility {
  users?: number[];
  units?: number[];
  roles?: string[];
  departments?: number[];
  tags?: number[];
  groups?: number[];
}

interface Values {
  roles: string[];
  units: string[];
  users: string[];
  departments: string[];
  tags: string[];
}

interface Props {
  app: MarketAppFieldsFragment;
  onClose: () => void;
  onSaved: () => void;
}

function parse(raw: unknown): Visibility {
  try {
    const value = typeof raw === 'string' ? JSON.parse(raw) : raw;
    return (value ?? {}) as Visibility;
  } catch {
    return {};
  }
}

export function VisibilityModal({ app, onClose, onSaved }: Props) {
  const { t } = useTranslation();
  const { message } = App.useApp();
  const [form] = Form.useForm<Values>();
  const [state, save] = useMutation(SetVisibilityMutation);
  const [problems, setProblems] = useState<FieldError[]>([]);
  const current = useMemo(() => parse(app.installation?.visibility), [app]);
  // Groups have no editor here yet: they are kept as they are.
  const groups = (current.groups ?? []).map((pk) => globalId('Group', pk));
  const [tags] = useQuery({ query: VisibilityTagsQuery, variables: { first: 100 } });
  const tagOptions = (tags.data?.tags.edges ?? []).flatMap((e) => (e?.node ? [{ value: e.node.id, label: e.node.name }] : []));

  async function submit() {
    const values = await form.validateFields();
    setProblems([]);
    const result = await save({
      input: {
        app: app.key,
        roles: values.roles ?? [],
        units: values.units ?? [],
        users: values.users ?? [],
        departments: values.departments ?? [],
        tags: values.tags ?? [],
        groups,
      },
    });
    if (result.error) return setProblems([{ code: 'REQUEST', message: errorText(result.error) }]);
    const payload = result.data?.setAppVisibility;
    if (payload?.errors.length) return setProblems(applyFieldErrors(form, payload.errors));
    message.success(t('market.visibilitySaved'));
    onSaved();
  }

  return (
    <Modal open title={t('market.visibilityTitle', { name: app.name })} onCancel={onClose} onOk={submit} confirmLoading={state.fetching} okText={t('common.save')} destroyOnHidden>
      <FormErrors errors={problems} />
      <Typography.Paragraph type="secondary">{t('market.visibilityHint')}</Typography.Paragraph>
      <Form
        form={form}
        layout="vertical"
        initialValues={{
          roles: current.roles ?? [],
          units: (current.units ?? []).map((pk) => globalId('OrgUnit', pk)),
          users: (current.users ?? []).map((pk) => globalId('User', pk)),
          departments: (current.departments ?? []).map((pk) => globalId('Department', pk)),
          tags: (current.tags ?? []).map((pk) => globalId('Tag', pk)),
        }}
      >
        <Form.Item name="roles" label={t('market.roles')}>
          <Select mode="tags" data-testid="visibility-roles" options={ROLES.map((r) => ({ value: r, label: t(`roleCode.${r}`, { defaultValue: r }) }))} />
        </Form.Item>
        <Form.Item name="units" label={t('market.units')}>
          <SearchSelect
            mode="multiple"
            query={OrgUnitsQuery}
            variables={(search) => ({ search: search || null, first: 50 })}
            toOptions={(data) => data.orgUnits.edges.flatMap((e) => (e?.node ? [{ value: e.node.id, label: e.node.name }] : []))}
            data-testid="visibility-units"
          />
        </Form.Item>
        <Form.Item name="departments" label={t('market.departments')}>
          <DepartmentPicker multiple data-testid="visibility-departments" />
        </Form.Item>
        <Form.Item name="tags" label={t('market.tags')}>
          <Select mode="multiple" options={tagOptions} loading={tags.fetching} optionFilterProp="label" data-testid="visibility-tags" />
        </Form.Item>
        <Form.Item name="users" label={t('market.people')} extra={t('market.peopleHint')}>
          <ContactPicker multiple data-testid="visibility-people" />
        </Form.Item>
        {groups.length > 0 && <Typography.Text type="secondary">{t('market.groupsKept', { count: groups.length })}</Typography.Text>}
      </Form>
    </Modal>
  );
}
