// The documents operations shared by the list, the draft, the 发文 and the 收文 pages.
import { graphql } from '@workbench/gql';

export const DocumentListsQuery = graphql(`
  query DocumentLists($view: IncomingDocumentView, $search: String) {
    outgoingDocuments(first: 50, search: $search) {
      edges {
        node {
          id
          title
          number
          status
          drafterName
          createdAt
        }
      }
    }
    incomingDocuments(first: 50, view: $view, search: $search) {
      edges {
        node {
          id
          title
          issuer
          number
          status
          urgency
          createdAt
        }
      }
    }
  }
`);

export const DocumentSeriesQuery = graphql(`
  query DocumentSeriesList {
    documentSeries {
      id
      code
      name
      issuer
    }
  }
`);

graphql(`
  fragment OutgoingDocumentFields on OutgoingDocument {
    id
    title
    issuer
    body
    number
    status
    urgency
    classification
    drafterName
    signerName
    signedAt
    approvalId
    pdfPath
    docxPath
    availableActions
    mainTo {
      kind
      name
    }
    copyTo {
      kind
      name
    }
  }
`);

export const OutgoingDocumentQuery = graphql(`
  query OutgoingDocument($id: ID!) {
    outgoingDocument(id: $id) {
      ...OutgoingDocumentFields
    }
  }
`);

export const SaveOutgoingDocumentMutation = graphql(`
  mutation SaveOutgoingDocument($input: SaveOutgoingDocumentInput!) {
    saveOutgoingDocument(input: $input) {
      document {
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

export const SubmitOutgoingDocumentMutation = graphql(`
  mutation SubmitOutgoingDocument($input: SubmitOutgoingDocumentInput!) {
    submitOutgoingDocument(input: $input) {
      document {
        ...OutgoingDocumentFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ArchiveOutgoingDocumentMutation = graphql(`
  mutation ArchiveOutgoingDocument($id: ID!) {
    archiveOutgoingDocument(input: { id: $id }) {
      document {
        ...OutgoingDocumentFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReadOutgoingDocumentMutation = graphql(`
  mutation ReadOutgoingDocument($id: ID!) {
    readOutgoingDocument(input: { id: $id }) {
      errors {
        code
        message
      }
    }
  }
`);

graphql(`
  fragment IncomingDocumentFields on IncomingDocument {
    id
    title
    issuer
    number
    body
    status
    urgency
    classification
    deadline
    role
    mainTo
    copyTo
    waitingNames
    readCount
    circulatedCount
    pdfPath
    availableActions
    steps {
      kind
      actorName
      opinion
      at
    }
  }
`);

export const IncomingDocumentQuery = graphql(`
  query IncomingDocument($id: ID!) {
    incomingDocument(id: $id) {
      ...IncomingDocumentFields
    }
  }
`);

export const RegisterIncomingDocumentMutation = graphql(`
  mutation RegisterIncomingDocument($input: RegisterIncomingDocumentInput!) {
    registerIncomingDocument(input: $input) {
      document {
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

export const RouteIncomingDocumentMutation = graphql(`
  mutation RouteIncomingDocument($input: RouteIncomingDocumentInput!) {
    routeIncomingDocument(input: $input) {
      document {
        ...IncomingDocumentFields
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
