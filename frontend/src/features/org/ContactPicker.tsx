// Pick people from the tenant's contacts by name, full pinyin (zhangsan), initials (zs), staff
// number or mobile digits. The value is each person's account id (`Contact.userId`), which is
// what app visibility and work hand-overs store.
import { Typography } from 'antd';
import { useTranslation } from 'react-i18next';
import { graphql } from '../../gql';
import { errorText } from '../../api/errors';
import { SearchSelect } from '../../components/SearchSelect';

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
  return (
    <SearchSelect
      id={id}
      data-testid={rest['data-testid']}
      mode={multiple ? 'multiple' : undefined}
      allowClear
      value={value}
      placeholder={placeholder ?? t('org.pickPeople')}
      query={PeopleQuery}
      // Nothing is asked before the first keystroke: a tenant may have thousands of people.
      variables={(search) => ({ search, first: 20 })}
      pause={(search) => !search}
      // Chosen people stay labelled by name when a later search no longer lists them.
      lookup={(users) => ({ users, first: 100 })}
      unknown={(v) => ({ value: v, label: '…', title: '', desc: '' })}
      toOptions={(data) =>
        data.contacts.edges.flatMap((e) =>
          e?.node && e.node.userId !== exclude
            ? [{ value: e.node.userId, label: e.node.name, title: e.node.name, desc: [e.node.staffNo, e.node.departments.map((d) => d.name).join('、')].filter(Boolean).join(' · ') }]
            : [],
        )
      }
      empty={(s) =>
        s.error ? (
          <Typography.Text type="danger">{errorText(s.error)}</Typography.Text>
        ) : s.search || s.fetching ? (
          s.fetching ? t('common.loading') : t('org.noMatch')
        ) : (
          t('org.typeToSearch')
        )
      }
      optionRender={(o) => (
        <span data-testid="person-option">
          {o.data.label} {o.data.desc && <Typography.Text type="secondary">{o.data.desc}</Typography.Text>}
        </span>
      )}
      onChange={(v) => onChange?.(v)}
      style={{ width: '100%' }}
    />
  );
}
