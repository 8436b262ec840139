// Pages that open in a new tab (a printable form, a file download) cannot carry the workbench's
// bearer token, so the workbench asks the server for a short-lived signed link just before it
// opens one (createSignedLink: bound to the person, the tenant and the path, two minutes).
import { useCallback } from 'react';
import { App } from 'antd';
import { useClient } from 'urql';
import { graphql } from '../gql';
import { errorText } from './errors';

const CreateSignedLinkMutation = graphql(`
  mutation CreateSignedLink($path: String!) {
    createSignedLink(input: { path: $path }) {
      url
      errors {
        field
        code
        message
      }
    }
  }
`);

/** `open(path, 'tab')` shows a page of the current tenant in a new tab; `open(path, 'download')`
 * fetches a file (the server answers it as an attachment, so this page stays). */
export function useSignedLink() {
  const client = useClient();
  const { message } = App.useApp();
  return useCallback(
    async (path: string, how: 'tab' | 'download') => {
      // the tab is opened while the click still counts as the person's, or a popup blocker refuses it
      const tab = how === 'tab' ? window.open('', '_blank') : null;
      if (tab) tab.opener = null;
      const result = await client.mutation(CreateSignedLinkMutation, { path }).toPromise();
      const url = result.data?.createSignedLink?.url;
      if (!url) {
        tab?.close();
        message.error(result.error ? errorText(result.error) : (result.data?.createSignedLink?.errors[0]?.message ?? errorText(undefined)));
        return;
      }
      if (tab) tab.location.href = url;
      else window.location.assign(url);
    },
    [client, message],
  );
}
