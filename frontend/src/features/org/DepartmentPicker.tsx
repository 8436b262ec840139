// Pick a department of the tenant from its tree; sub-departments load as a branch opens. The
// value is the department's id; `onPicked` also hands over the unit it belongs to. `forPeople`:
// placing a person, so a grouping node (分组) opens but cannot be picked (docs/org-placement.md).
import { useCallback, useMemo, useState } from 'react';
import { TreeSelect, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorText } from '../../api/errors';

// One branch of the tree (`parent`), or (`ids`) the departments already chosen, for their names.
const DepartmentOptionsQuery = graphql(`
  query DepartmentOptions($parent: ID, $ids: [ID!], $first: Int) {
    departments(parent: $parent, ids: $ids, first: $first) {
      edges {
        node {
          id
          name
          kind
          unit {
            id
            name
          }
        }
      }
    }
  }
`);

export interface PickedDepartment {
  id: string;
  name: string;
  unitId: string | null;
}

interface Option {
  id: string;
  pId: string | null;
  value: string;
  title: string;
  isLeaf: boolean;
  unitId: string | null;
  kind: string;
}

function toOption(d: { id: string; name: string; kind: string; unit?: { id: string } | null }, parent: string | null): Option {
  return { id: d.id, pId: parent, value: d.id, title: d.name, isLeaf: d.kind === 'WARD', unitId: d.unit?.id ?? null, kind: d.kind };
}

interface Props {
  value?: string | string[];
  onChange?: (value: string | string[] | undefined) => void;
  multiple?: boolean;
  onPicked?: (dept: PickedDepartment | null) => void;
  forPeople?: boolean;
  id?: string;
  'data-testid'?: string;
}

export function DepartmentPicker({ value, onChange, onPicked, multiple, forPeople, id, ...rest }: Props) {
  const { t } = useTranslation();
  const client = useClient();
  const [roots] = useQuery({ query: DepartmentOptionsQuery, variables: { parent: null, first: 100 }, requestPolicy: 'network-only' });
  const [children, setChildren] = useState<Option[]>([]);
  const [loadError, setLoadError] = useState<string | null>(null);
  const error = roots.error ? errorText(roots.error) : loadError;

  const load = useCallback(
    async (parent: string) => {
      const result = await client.query(DepartmentOptionsQuery, { parent, first: 100 }, { requestPolicy: 'network-only' }).toPromise();
      if (result.error) return setLoadError(errorText(result.error));
      const rows = (result.data?.departments.edges ?? []).flatMap((e) => (e?.node ? [e.node] : []));
      setChildren((old) => [...old.filter((o) => !rows.some((r) => r.id === o.id)), ...rows.map((d) => toOption(d, parent))]);
    },
    [client],
  );
  const loaded = useMemo(
    () => [...(roots.data?.departments.edges ?? []).flatMap((e) => (e?.node ? [toOption(e.node, null)] : [])), ...children],
    [roots.data, children],
  );
  const unnamed = (Array.isArray(value) ? value : value ? [value] : []).filter((v) => !loaded.some((o) => o.id === v));
  const [named] = useQuery({ query: DepartmentOptionsQuery, variables: { ids: unnamed, first: 100 }, pause: unnamed.length === 0 });
  // Shown at the top level until their branch is opened, where they then sit.
  const options = [...loaded, ...(named.data?.departments.edges ?? []).flatMap((e) => (e?.node && unnamed.includes(e.node.id) ? [toOption(e.node, null)] : []))];

  return (
    <>
      <TreeSelect
        id={id}
        data-testid={rest['data-testid']}
        treeDataSimpleMode
        treeData={forPeople ? options.map((o) => (o.kind === 'GROUP' ? { ...o, selectable: false } : o)) : options}
        loading={roots.fetching}
        loadData={({ id: parent }) => load(parent as string)}
        value={value}
        multiple={multiple}
        allowClear
        showSearch={{ treeNodeFilterProp: 'title' }}
        placeholder={t('org.pickDepartment')}
        onChange={(v: string | string[] | undefined) => {
          const picked = typeof v === 'string' ? options.find((o) => o.value === v) : undefined;
          onChange?.(v);
          onPicked?.(picked ? { id: picked.id, name: picked.title, unitId: picked.unitId } : null);
        }}
        style={{ width: '100%' }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}
