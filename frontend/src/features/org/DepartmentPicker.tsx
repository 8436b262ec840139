// Pick a department of the tenant from its tree; sub-departments load as a branch opens. The
// value is the department's id; `onPicked` also hands over the unit it belongs to.
import { useCallback, useMemo, useState } from 'react';
import { TreeSelect, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorText } from '../../api/errors';

const DepartmentOptionsQuery = graphql(`
  query DepartmentOptions($parent: ID, $first: Int) {
    departments(parent: $parent, first: $first) {
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
}

function toOption(d: { id: string; name: string; kind: string; unit?: { id: string } | null }, parent: string | null): Option {
  return { id: d.id, pId: parent, value: d.id, title: d.name, isLeaf: d.kind === 'WARD', unitId: d.unit?.id ?? null };
}

interface Props {
  value?: string;
  onChange?: (value: string | undefined) => void;
  onPicked?: (dept: PickedDepartment | null) => void;
  id?: string;
  'data-testid'?: string;
}

export function DepartmentPicker({ value, onChange, onPicked, id, ...rest }: Props) {
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
  const options = useMemo(
    () => [...(roots.data?.departments.edges ?? []).flatMap((e) => (e?.node ? [toOption(e.node, null)] : [])), ...children],
    [roots.data, children],
  );

  return (
    <>
      <TreeSelect
        id={id}
        data-testid={rest['data-testid']}
        treeDataSimpleMode
        treeData={options}
        loading={roots.fetching}
        loadData={({ id: parent }) => load(parent as string)}
        value={value}
        allowClear
        showSearch={{ treeNodeFilterProp: 'title' }}
        placeholder={t('org.pickDepartment')}
        onChange={(v: string | undefined) => {
          const picked = options.find((o) => o.value === v);
          onChange?.(v);
          onPicked?.(picked ? { id: picked.id, name: picked.title, unitId: picked.unitId } : null);
        }}
        style={{ width: '100%' }}
      />
      {error && <Typography.Text type="danger">{error}</Typography.Text>}
    </>
  );
}
