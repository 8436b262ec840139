// The supervision pages' documents (approval and dashboards). Every field is open on the
// province console and checks the reader's permissions on the server.
import { graphql } from '../../gql';

export { SupervisionScopeQuery } from './scope';

export const SupervisionNodeQuery = graphql(`
  query SupervisionNode($unit: ID!) {
    supervisionNode(unit: $unit) {
      node {
        ...SupervisionNodeFields
      }
      ancestors {
        ...SupervisionNodeFields
      }
      children {
        ...SupervisionNodeFields
      }
    }
  }
`);

export const ApprovalQueueQuery = graphql(`
  query SupervisionApprovalQueue($unit: ID!, $period: String!) {
    supervisionApprovalQueue(unit: $unit, period: $period) {
      unit {
        ...SupervisionNodeFields
      }
      values
      step
      onTime
      submittedAt
      nextStep
      canApprove
      canUnapprove
    }
  }
`);

export const ApprovalEventsQuery = graphql(`
  query SupervisionApprovalEvents($unit: ID!, $period: String!) {
    supervisionApprovalEvents(unit: $unit, period: $period) {
      action
      fromStep
      toStep
      actorName
      reason
      at
    }
  }
`);

export const ApprovalMutation = graphql(`
  mutation SupervisionApprovalStep($input: SupervisionApprovalInput!) {
    supervisionApproval(input: $input) {
      approval {
        unitId
        step
        onTime
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const DashboardQuery = graphql(`
  query SupervisionDashboardPage($unit: ID!, $period: String!) {
    supervisionIndicators {
      code
      name
      unitLabel
    }
    supervisionDashboard(unit: $unit, period: $period) {
      period
      rows {
        unitId
        unitName
        level
        indicators {
          code
          value
          numerator
          denominator
        }
      }
    }
  }
`);

export const TrendQuery = graphql(`
  query SupervisionTrend($unit: ID!, $indicators: [String!], $until: String, $months: Int) {
    supervisionTrend(unit: $unit, indicators: $indicators, until: $until, months: $months) {
      months
      series {
        code
        name
        unitLabel
        values
      }
    }
  }
`);

export const HeatmapQuery = graphql(`
  query SupervisionHeatmap($unit: ID!, $periodFrom: String!, $periodTo: String!) {
    supervisionHeatmap(unit: $unit, periodFrom: $periodFrom, periodTo: $periodTo) {
      months
      rows {
        unit {
          ...SupervisionNodeFields
        }
        cells {
          period
          expected
          submitted
          onTime
          late
          missing
          completeness
          timeliness
        }
      }
    }
  }
`);
