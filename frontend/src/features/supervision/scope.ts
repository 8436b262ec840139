// Where the reader's supervision pages start (also asked by the shell, to show the menu).
import { graphql } from '../../gql';

graphql(`
  fragment SupervisionNodeFields on SupervisionNode {
    id
    unitId
    name
    level
  }
`);

export const SupervisionScopeQuery = graphql(`
  query SupervisionScope {
    supervisionScope {
      canApprove
      nodes {
        ...SupervisionNodeFields
      }
    }
  }
`);
