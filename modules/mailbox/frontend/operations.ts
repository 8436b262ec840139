// The mailbox operations shared by the writer's page, the handler's inbox and the letter page.
import { graphql } from '@workbench/gql';

graphql(`
  fragment MailboxLetterFields on MailboxLetter {
    id
    kind
    status
    subject
    body
    anonymous
    senderName
    satisfaction
    createdAt
    closedAt
    messages {
      fromHandler
      authorName
      body
      at
    }
  }
`);

export const MailboxLettersQuery = graphql(`
  query MailboxLetters($status: MailboxLetterStatus) {
    mailboxLetters(first: 50, status: $status) {
      edges {
        node {
          id
          kind
          status
          subject
          anonymous
          senderName
          createdAt
        }
      }
    }
  }
`);

export const MailboxLetterQuery = graphql(`
  query MailboxLetter($id: ID!) {
    mailboxLetter(id: $id) {
      ...MailboxLetterFields
    }
  }
`);

export const MailboxLetterByCodeQuery = graphql(`
  query MailboxLetterByCode($code: String!) {
    mailboxLetterByCode(code: $code) {
      ...MailboxLetterFields
    }
  }
`);

export const MailboxStatisticsQuery = graphql(`
  query MailboxStatistics {
    mailboxStatistics
  }
`);

export const SubmitMailboxLetterMutation = graphql(`
  mutation SubmitMailboxLetter($input: SubmitMailboxLetterInput!) {
    submitMailboxLetter(input: $input) {
      claimCode
      letter {
        id
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReplyToMailboxLetterMutation = graphql(`
  mutation ReplyToMailboxLetter($input: ReplyToMailboxLetterInput!) {
    replyToMailboxLetter(input: $input) {
      letter {
        ...MailboxLetterFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const FollowUpMailboxLetterMutation = graphql(`
  mutation FollowUpMailboxLetter($input: WriterInput!) {
    followUpMailboxLetter(input: $input) {
      letter {
        ...MailboxLetterFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const RateMailboxLetterMutation = graphql(`
  mutation RateMailboxLetter($input: WriterInput!) {
    rateMailboxLetter(input: $input) {
      letter {
        ...MailboxLetterFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
