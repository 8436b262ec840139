// A unit of the hierarchy for the console marketplace (a publisher, a mandate's region): the
// top of the tree at first, any unit by name as one types; only the levels the action allows.
import { useState } from 'react';
import { Select, Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import { useQuery } from 'urql';
import type { Level } from '../../gql/graphql';
import { OrgUnitsQuery } from './HierarchyPage';

interface Props {
  levels: Level[];
  value?: string;
  onChange?: (value: string | undefined) => void;
  id?: string;
  'data-testid'?: string;
}

export function MarketplaceUnitSelect({ levels, value, onChange, id, ...rest }: Props) {
  const { t } = useTranslation();
  const [search, setSearch] = useState('');
  const [units] = useQuery({ query: OrgUnitsQuery, variables: { search: search || null, first: 50 } });
  const options = (units.data?.orgUnits.edges ?? []).flatMap((e) =>
    e?.node && levels.includes(e.node.level)
      ? [
          {
            value: e.node.id,
            label: e.node.name,
            level: e.node.level,
          },
        ]
      : [],
  );
  return (
    <Select
      id={id}
      data-testid={rest['data-testid']}
      value={value}
      onChange={onChange}
      showSearch={{ filterOption: false, onSearch: (v) => setSearch(v.trim()) }}
      loading={units.fetching}
      placeholder={t('consoleMarket.unitPlaceholder')}
      notFoundContent={units.fetching ? t('common.loading') : t('hierarchy.noMatch')}
      options={options}
      optionRender={(o) => (
        <span data-testid="unit-option">
          {o.data.label} <Tag bordered={false}>{t(`level.${o.data.level}`)}</Tag>
        </span>
      )}
      style={{ width: '100%' }}
    />
  );
}
