// One page of the tenant's contacts for the staff table (managers) and the directory (everyone
// else): the server pages (keyset, with the total), searches and decides which phones a viewer
// may see — a hidden mobile comes back empty and is simply not shown.
import { useCallback, useEffect, useMemo } from 'react';
import { useClient, useQuery } from 'urql';
import { graphql } from '../../gql';
import { errorText } from '../../api/errors';
import { useKeysetPages } from '../../components/keysetPages';

const ContactsQuery = graphql(`
  query Contacts($search: String, $department: ID, $first: Int, $after: String) {
    contacts(search: $search, department: $department, first: $first, after: $after) {
      totalCount
      pageInfo {
        endCursor
      }
      edges {
        node {
          id
          userId
          staffNo
          name
          namePinyin
          post
          position
          title
          mobile
          officePhone
          email
          status
          employmentType
          unit {
            id
            name
          }
          departments {
            id
            name
          }
        }
      }
    }
  }
`);

const ContactCursorsQuery = graphql(`
  query ContactCursors($search: String, $department: ID, $first: Int, $after: String) {
    contacts(search: $search, department: $department, first: $first, after: $after) {
      edges {
        cursor
      }
    }
  }
`);

export function useContactsPage(search: string, department: string | null, version: number) {
  const client = useClient();
  const filters = useMemo(() => ({ search: search || null, department }), [search, department]);
  const readCursors = useCallback(
    async (first: number, after: string | null) => {
      const r = await client.query(ContactCursorsQuery, { ...filters, first, after }, { requestPolicy: 'network-only' }).toPromise();
      return { cursors: (r.data?.contacts.edges ?? []).flatMap((e) => (e ? [e.cursor] : [])), error: r.error ? errorText(r.error) : undefined };
    },
    [client, filters],
  );
  const pages = useKeysetPages(JSON.stringify(filters), readCursors);
  const [result, reexecute] = useQuery({ query: ContactsQuery, variables: { ...filters, first: pages.pageSize, after: pages.after } });
  const rows = useMemo(() => result.data?.contacts.edges.flatMap((e) => (e?.node ? [e.node] : [])) ?? [], [result.data]);
  const { remember } = pages;
  const endCursor = result.data?.contacts.pageInfo.endCursor;
  useEffect(() => remember(endCursor), [remember, endCursor]);
  useEffect(() => {
    if (version > 0) reexecute({ requestPolicy: 'network-only' });
  }, [version, reexecute]);
  const pagination = {
    current: pages.page,
    pageSize: pages.pageSize,
    total: result.data?.contacts.totalCount ?? 0,
    showSizeChanger: true,
    pageSizeOptions: [20, 50, 100],
    onChange: pages.change,
  };
  return { result, rows, pagination, pageError: pages.error, retry: () => reexecute({ requestPolicy: 'network-only' }) };
}

export type ContactRow = ReturnType<typeof useContactsPage>['rows'][number];
