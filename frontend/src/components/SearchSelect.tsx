// An Ant Design Select whose options are searched on the server as one types, with the steady
// list of useSearchOptions. Takes the Select's own props (value, onChange, mode, testids …) so a
// Form.Item can drive it; `empty` says what an empty list shows.
import type { ReactNode } from 'react';
import { Select, type SelectProps } from 'antd';
import { useTranslation } from 'react-i18next';
import type { AnyVariables } from 'urql';
import { useSearchOptions, type SearchOption, type SearchOptions, type SearchOptionsConfig } from './useSearchOptions';

type OwnProps = 'options' | 'showSearch' | 'loading' | 'notFoundContent' | 'filterOption' | 'onSearch' | 'value';

export type SearchSelectProps<Data, Variables extends AnyVariables, Option extends SearchOption> = SearchOptionsConfig<Data, Variables, Option> &
  Omit<SelectProps<string | string[], Option>, OwnProps> & {
    value?: string | string[] | null;
    /** What an empty list shows (by default: loading …, or nothing found). */
    empty?: (state: SearchOptions<Option>) => ReactNode;
    'data-testid'?: string;
  };

export function SearchSelect<Data, Variables extends AnyVariables, Option extends SearchOption>(props: SearchSelectProps<Data, Variables, Option>) {
  const { t } = useTranslation();
  const { query, variables, pause, toOptions, lookup, unknown, delay, empty, onOpenChange, popupRender, ...select } = props;
  const state = useSearchOptions({ query, variables, pause, toOptions, lookup, unknown, delay }, props.value);
  return (
    <Select<string | string[], Option>
      {...select}
      options={state.options}
      showSearch={{ filterOption: false, onSearch: state.onSearch }}
      loading={state.fetching}
      notFoundContent={empty ? empty(state) : state.fetching ? t('common.loading') : undefined}
      onOpenChange={(open) => {
        state.onOpenChange(open);
        onOpenChange?.(open);
      }}
      popupRender={(menu) => <div onPointerDown={state.hold}>{popupRender ? popupRender(menu) : menu}</div>}
    />
  );
}
