// A unit of the hierarchy for the console marketplace (a publisher, a mandate's region): the
// top of the tree at first, any unit by name as one types; only the levels the action allows.
import { Tag } from 'antd';
import { useTranslation } from 'react-i18next';
import type { Level } from '../../gql/graphql';
import { SearchSelect } from '../../components/SearchSelect';
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
  return (
    <SearchSelect
      id={id}
      data-testid={rest['data-testid']}
      value={value}
      onChange={(v) => onChange?.(v as string | undefined)}
      query={OrgUnitsQuery}
      variables={(search) => ({ search: search || null, first: 50 })}
      toOptions={(data) =>
        data.orgUnits.edges.flatMap((e) => (e?.node && levels.includes(e.node.level) ? [{ value: e.node.id, label: e.node.name, level: e.node.level }] : []))
      }
      placeholder={t('consoleMarket.unitPlaceholder')}
      empty={(s) => (s.fetching ? t('common.loading') : t('hierarchy.noMatch'))}
      optionRender={(o) => (
        <span data-testid="unit-option">
          {o.data.label} <Tag bordered={false}>{t(`level.${o.data.level}`)}</Tag>
        </span>
      )}
      style={{ width: '100%' }}
    />
  );
}
