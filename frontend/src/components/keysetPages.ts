// Numbered pages (antd pagination) over the API's keyset connections. A page is asked for with
// the cursor that ends the page before it; the cursors of pages seen are remembered, and jumping
// ahead to a page whose cursor is not known reads only the cursors in between (no rows), at most
// 100 per request. The filters' key resets everything.
import { useCallback, useEffect, useRef, useState } from 'react';

/** Reads `first` cursors after `after`; returns them in order, or an error text. */
export type CursorReader = (first: number, after: string | null) => Promise<{ cursors: string[]; error?: string }>;

export interface KeysetPages {
  page: number;
  pageSize: number;
  /** The cursor to ask the current page with (null on page 1). */
  after: string | null;
  /** Call with the current page's endCursor once it has loaded. */
  remember: (endCursor: string | null | undefined) => void;
  change: (page: number, pageSize: number) => void;
  error: string | null;
}

export function useKeysetPages(filtersKey: string, readCursors: CursorReader, initialPageSize = 20): KeysetPages {
  const [state, setState] = useState({ page: 1, pageSize: initialPageSize, after: null as string | null });
  const [error, setError] = useState<string | null>(null);
  const known = useRef(new Map<number, string | null>([[1, null]]));
  const key = `${filtersKey}|${state.pageSize}`;
  const lastKey = useRef(key);
  useEffect(() => {
    if (lastKey.current === key) return;
    lastKey.current = key;
    known.current = new Map([[1, null]]);
    setState((s) => ({ ...s, page: 1, after: null }));
  }, [key]);

  const remember = useCallback(
    (endCursor: string | null | undefined) => {
      if (endCursor) known.current.set(state.page + 1, endCursor);
    },
    [state.page],
  );

  const change = useCallback(
    async (page: number, pageSize: number) => {
      setError(null);
      if (pageSize !== state.pageSize) {
        known.current = new Map([[1, null]]);
        setState({ page: 1, pageSize, after: null });
        return;
      }
      if (known.current.has(page)) {
        setState({ page, pageSize, after: known.current.get(page) ?? null });
        return;
      }
      const from = Math.max(...[...known.current.keys()].filter((p) => p < page));
      let cursor = known.current.get(from) ?? null;
      let rows = (page - from) * pageSize;
      while (rows > 0) {
        const first = Math.min(rows, 100);
        const { cursors, error: failed } = await readCursors(first, cursor);
        if (failed) return setError(failed);
        if (cursors.length === 0) break;
        cursor = cursors[cursors.length - 1];
        rows -= cursors.length;
        if (cursors.length < first) break;
      }
      known.current.set(page, cursor);
      setState({ page, pageSize, after: cursor });
    },
    [readCursors, state.pageSize],
  );
  return { ...state, remember, change: (p, s) => void change(p, s), error };
}
