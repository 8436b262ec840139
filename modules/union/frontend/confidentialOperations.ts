// 心理咨询、法律帮扶 and the green channel: the requests the caller wrote and those assigned to them
// (the server returns nothing else), and the two writes.
import { useQuery } from 'urql';
import { graphql } from '@workbench/gql';

export const UnionConfidentialRequestsQuery = graphql(`
  query UnionConfidentialRequests {
    unionConfidentialRequests {
      id
      kind
      status
      counsellorName
      subject
      text
      reply
      contact
      clinic
      preferredDate
      isMine
      createdAt
    }
  }
`);

export const SubmitUnionConfidentialMutation = graphql(`
  mutation SubmitUnionConfidential($input: SubmitUnionConfidentialInput!) {
    submitUnionConfidential(input: $input) {
      request {
        id
        counsellorName
        status
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReplyUnionConfidentialMutation = graphql(`
  mutation ReplyUnionConfidential($input: ReplyUnionConfidentialInput!) {
    replyUnionConfidential(input: $input) {
      request {
        id
        status
        reply
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

// An empty list carries no typename for urql to invalidate on: name it, so a new request shows.
export const CONFIDENTIAL_CONTEXT = { additionalTypenames: ['UnionConfidentialType'] };

/** The caller's requests (written, or assigned to them), fresh whenever a page shows them. */
export function useConfidentialRequests() {
  return useQuery({ query: UnionConfidentialRequestsQuery, context: CONFIDENTIAL_CONTEXT, requestPolicy: 'cache-and-network' });
}
