// Pick people from the tenant's contacts by name, full pinyin (zhangsan), initials (zs), staff
// number or mobile digits. The value is each person's account id (`Contact.userId`), which is
// what app visibility and work hand-overs store.
import { useState } from 'react';
import { Select, Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorText } from '../../api/errors';

// People matching a search, or (`users`) those already chosen, for their names.
const PeopleQuery = graphql(`
  query PickPeople($search: String, $users: [ID!], $first: Int) {
    contacts(search: $search, users: $users, first: $first) {
      edges {
        node {
          id
          userId
          name
          staffNo
          departments {
            id
            name
          }
        }
      }
    }
  }
`);

interface Props {
  value?: string | string[];
  onChange?: (value: string | string[] | undefined) => void;
  multiple?: boolean;
  /** A person never offered (the one leaving cannot take over their own work). */
  exclude?: string;
  placeholder?: string;
  'data-testid'?: string;
  id?: string;
}

export function ContactPicker({ value, onChange, multiple, exclude, placeholder, id, ...rest }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  // Nothing is asked before the first keystroke: a tenant may have thousands of people.
  const [result] = useQuery({ query: PeopleQuery, variables: { search, first: 20 }, pause: !search });
  const [labels, setLabels] = useState<Record<string, string>>({});
  const found = (result.data?.contacts.edges ?? []).flatMap((e) => (e?.node && e.node.userId !== exclude ? [e.node] : []));
  const options = found.map((c) => ({
    value: c.userId,
    label: c.name,
    title: c.name,
    desc: [c.staffNo, c.departments.map((d) => d.name).join('、')].filter(Boolean).join(' · '),
  }));
  // Chosen people stay labelled by name when a later search no longer lists them.
  const chosen = (Array.isArray(value) ? value : value ? [value] : []).filter((v) => !options.some((o) => o.value === v));
  const unnamed = chosen.filter((v) => !labels[v]);
  const [named] = useQuery({ query: PeopleQuery, variables: { users: unnamed, first: 100 }, pause: unnamed.length === 0 });
  const names: Record<string, string> = { ...Object.fromEntries((named.data?.contacts.edges ?? []).flatMap((e) => (e?.node ? [[e.node.userId, e.node.name]] : []))), ...labels };
  const allOptions = [...options, ...chosen.map((v) => ({ value: v, label: names[v] ?? '…', title: names[v] ?? '', desc: '' }))];
  return (
    <Select
      id={id}
      data-testid={rest['data-testid']}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      value={value}
      placeholder={placeholder ?? t('org.pickPeople')}
      showSearch={{ filterOption: false, onSearch: (v) => setSearch(v.trim()) }}
      loading={result.fetching}
      notFoundContent={
        result.error ? (
          <Typography.Text type="danger">{errorText(result.error)}</Typography.Text>
        ) : search ? (
          result.fetching ? t('common.loading') : t('org.noMatch')
        ) : (
          t('org.typeToSearch')
        )
      }
      options={allOptions}
      optionRender={(o) => (
        <span data-testid="person-option">
          {o.data.label} {o.data.desc && <Typography.Text type="secondary">{o.data.desc}</Typography.Text>}
        </span>
      )}
      onChange={(v: string | string[] | undefined) => {
        setLabels((m) => ({ ...m, ...Object.fromEntries(options.map((o) => [o.value, o.label])) }));
        onChange?.(v);
      }}
      style={{ width: '100%' }}
    />
  );
}
