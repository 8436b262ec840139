// 主送 / 抄送 units: other units (tenants) found by name or code on the server, chosen by name;
// the value is their codes (what saveOutgoingDocument takes).
import { useTranslation } from 'react-i18next';
import { graphql } from '@workbench/gql';
import { SearchSelect } from '@workbench/components/SearchSelect';

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
  return (
    <SearchSelect
      mode="multiple"
      value={value}
      onChange={(v) => onChange?.(v as string[])}
      query={RecipientUnitsQuery}
      variables={(search) => ({ search: search || null })}
      toOptions={(data) => data.documentRecipientUnits.map((u) => ({ value: u.slug, label: u.name, code: u.slug }))}
      unknown={(s) => ({ value: s, label: s, code: s })}
      placeholder={t('documents.unitsSearch')}
      empty={(s) => (s.fetching ? null : t('documents.noUnits'))}
      optionRender={(o) => (
        <span data-testid="unit-option">
          {o.label} <span style={{ color: '#999' }}>{o.data.code}</span>
        </span>
      )}
      {...rest}
    />
  );
}
