// The options of a select that searches the server as one types. The list a person is looking at
// stays put: the last answer's options are kept while the next is on its way (only the spinner
// says so), typing is debounced, the list does not change under a pressed pointer (an answer that
// arrives mid-click would otherwise swallow the click), and the chosen option(s) stay among the
// options so their labels show whatever the current search lists.
import { useEffect, useState } from 'react';
import { useQuery, type AnyVariables, type CombinedError, type DocumentInput, type UseQueryArgs } from 'urql';

export interface SearchOption {
  value: string;
  label: string;
}

export interface SearchOptionsConfig<Data, Variables extends AnyVariables, Option extends SearchOption> {
  query: DocumentInput<Data, Variables>;
  /** The variables for a search text (trimmed; '' before any typing and after the list closes). */
  variables: (search: string) => Variables;
  /** Nothing is asked for this text (e.g. none typed yet, when there may be thousands). */
  pause?: (search: string) => boolean;
  toOptions: (data: Data) => Option[];
  /** Variables of the same query that name chosen values never listed (a form's initial value). */
  lookup?: (values: string[]) => Variables;
  /** The option shown for a chosen value not (yet) named; by default the value itself. */
  unknown?: (value: string) => Option;
  /** Milliseconds of quiet typing before the server is asked. */
  delay?: number;
}

export interface SearchOptions<Option extends SearchOption> {
  options: Option[];
  /** The text the options answer (debounced). */
  search: string;
  /** Typing not yet answered: show a spinner, keep the options. */
  fetching: boolean;
  error?: CombinedError;
  onSearch: (text: string) => void;
  onOpenChange: (open: boolean) => void;
  /** On pointer down in the list: answers wait until the click is over. */
  hold: () => void;
}

interface Kept<Data, Option> {
  data?: Data;
  named?: Data;
  seen: Record<string, Option>;
}

const remember = <Option extends SearchOption>(seen: Record<string, Option>, options: Option[]) => ({
  ...seen,
  ...Object.fromEntries(options.map((o) => [o.value, o])),
});

export function useSearchOptions<Data, Variables extends AnyVariables, Option extends SearchOption>(
  config: SearchOptionsConfig<Data, Variables, Option>,
  value: string | string[] | null | undefined,
): SearchOptions<Option> {
  const { query, variables, pause, toOptions, lookup, unknown, delay = 250 } = config;
  const [typed, setTyped] = useState('');
  const [search, setSearch] = useState('');
  useEffect(() => {
    if (typed === search) return undefined;
    const timer = setTimeout(() => setSearch(typed), delay);
    return () => clearTimeout(timer);
  }, [typed, search, delay]);
  const [held, setHeld] = useState(false);
  const [kept, setKept] = useState<Kept<Data, Option>>({ seen: {} });

  const [result] = useQuery({ query, variables: variables(search), pause: pause?.(search) ?? false } as UseQueryArgs<Variables, Data>);
  const found = kept.data === undefined ? [] : toOptions(kept.data);
  const chosen = (value == null ? [] : Array.isArray(value) ? value : [value]).filter((v) => !found.some((o) => o.value === v));
  const unlabelled = chosen.filter((v) => !kept.seen[v]);
  const [named] = useQuery({
    query,
    variables: lookup ? lookup(unlabelled) : variables(''),
    pause: !lookup || unlabelled.length === 0,
  } as UseQueryArgs<Variables, Data>);

  // Take each new answer once (never while a click is under way), remembering every option seen.
  let next = kept;
  if (!held && result.data !== undefined && result.data !== kept.data) {
    next = { ...next, data: result.data, seen: remember(next.seen, toOptions(result.data)) };
  }
  if (named.data !== undefined && named.data !== kept.named) {
    next = { ...next, named: named.data, seen: remember(next.seen, toOptions(named.data)) };
  }
  if (next !== kept) setKept(next);

  return {
    options: [...found, ...chosen.map((v) => kept.seen[v] ?? unknown?.(v) ?? ({ value: v, label: v } as Option))],
    search,
    fetching: result.fetching || typed !== search,
    error: result.error,
    onSearch: (text) => setTyped(text.trim()),
    onOpenChange: (open) => {
      if (open) return;
      // closed: the next opening starts from the list for no search
      setTyped('');
      setSearch('');
      setHeld(false);
    },
    hold: () => {
      setHeld(true);
      // the click follows the pointer's release within a few milliseconds (later on touch)
      window.addEventListener('pointerup', () => setTimeout(() => setHeld(false), 200), { once: true });
    },
  };
}
