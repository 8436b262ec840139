// 主送 / 抄送 units: other units (tenants) found by name or code on the server, chosen by name;
// the value is their codes (what saveOutgoingDocument takes).
import { useState } from 'react';
import { Select } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import { graphql } from '@workbench/gql';

const RecipientUnitsQuery = graphql(`
  query DocumentRecipientUnits($search: String) {
    documentRecipientUnits(search: $search) {
      slug
      name
    }
  }
`);

interface Props {
  value?: string[];
  onChange?: (value: string[]) => void;
  'data-testid'?: string;
}

export function UnitPicker({ value, onChange, ...rest }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [result] = useQuery({ query: RecipientUnitsQuery, variables: { search: search || null } });
  // keep the names of units already chosen while the search shows others
  const [known, setKnown] = useState<Record<string, string>>({});
  const found = result.data?.documentRecipientUnits ?? [];
  const names = { ...known, ...Object.fromEntries(found.map((u) => [u.slug, u.name])) };
  const options = [
    ...found.map((u) => ({ value: u.slug, label: u.name, code: u.slug })),
    ...(value ?? []).filter((s) => !found.some((u) => u.slug === s)).map((s) => ({ value: s, label: names[s] ?? s, code: s })),
  ];
  return (
    <Select
      mode="multiple"
      showSearch={{ filterOption: false, onSearch: setSearch }}
      value={value}
      onChange={(v: string[]) => {
        setKnown(names);
        setSearch('');
        onChange?.(v);
      }}
      loading={result.fetching}
      placeholder={t('documents.unitsSearch')}
      notFoundContent={result.fetching ? null : t('documents.noUnits')}
      options={options}
      optionRender={(o) => (
        <span data-testid="unit-option">
          {o.label} <span style={{ color: '#999' }}>{o.data.code}</span>
        </span>
      )}
      {...rest}
    />
  );
}
