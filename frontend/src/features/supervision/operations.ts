// The supervision pages' documents (approval with reopening, dashboards with their alerts).
// Every field is open on the province console and checks the reader's permissions on the server.
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

export const ApprovalDataSetsQuery = graphql(`
  query SupervisionApprovalDataSets {
    supervisionDataSets {
      code
      name
      periodType
      lockDays
    }
  }
`);

export const ApprovalQueueQuery = graphql(`
  query SupervisionApprovalQueue($unit: ID!, $period: String!, $dataSet: String) {
    supervisionApprovalQueue(unit: $unit, period: $period, dataSet: $dataSet) {
      unit {
        ...SupervisionNodeFields
      }
      values
      step
      onTime
      submittedAt
      resubmittedAt
      returned {
        reason
        actorName
        at
      }
      nextStep
      availableActions
      lockReason
      lockDate
      reopenedUntil
    }
  }
`);

export const ApprovalEventsQuery = graphql(`
  query SupervisionApprovalEvents($unit: ID!, $period: String!, $dataSet: String) {
    supervisionApprovalEvents(unit: $unit, period: $period, dataSet: $dataSet) {
      action
      fromStep
      toStep
      actorName
      reason
      at
    }
  }
`);

// The report's lifecycle: one mutation per action the server offers in `availableActions`.
export const SupervisionReportStateFragment = graphql(`
  fragment SupervisionReportState on SupervisionReport {
    step
    availableActions
  }
`);

export const SubmitReportMutation = graphql(`
  mutation SubmitSupervisionReport($input: SupervisionReportInput!) {
    submitSupervisionReport(input: $input) {
      report {
        ...SupervisionReportState
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ApproveReportMutation = graphql(`
  mutation ApproveSupervisionReport($input: SupervisionReportInput!) {
    approveSupervisionReport(input: $input) {
      report {
        ...SupervisionReportState
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReturnReportMutation = graphql(`
  mutation ReturnSupervisionReport($input: ReturnSupervisionReportInput!) {
    returnSupervisionReport(input: $input) {
      report {
        ...SupervisionReportState
      }
      errors {
        field
        code
        message
      }
    }
  }
`);

export const ReopenReportMutation = graphql(`
  mutation ReopenSupervisionReport($input: ReopenSupervisionReportInput!) {
    reopenSupervisionReport(input: $input) {
      until
      errors {
        field
        code
        message
      }
    }
  }
`);

// A unit's report changed somewhere (saved, submitted, approved, returned, reopened), after commit.
export const SupervisionChangedSubscription = graphql(`
  subscription SupervisionChanged {
    supervisionChanged {
      unit
      dataSet
      period
      action
      step
    }
  }
`);

export const DashboardQuery = graphql(`
  query SupervisionDashboardPage($unit: ID!, $period: String!) {
    supervisionIndicators {
      code
      # in the reader's language (the definition's English name for an English reader)
      name: displayName
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

export const AlertsQuery = graphql(`
  query SupervisionAlerts($node: ID!, $period: String!) {
    supervisionAlerts(node: $node) {
      ...SupervisionAlertFields
    }
    supervisionAlertFirings(node: $node, period: $period) {
      alert {
        ...SupervisionAlertFields
      }
      node {
        id
        name
      }
      period
      value
      firedAt
    }
  }
  fragment SupervisionAlertFields on SupervisionAlert {
    id
    indicator {
      code
      name: displayName
      unitLabel
    }
    node {
      id
      name
    }
    operator
    threshold
    active
  }
`);

export const SaveAlertMutation = graphql(`
  mutation SaveSupervisionAlert($input: SaveSupervisionAlertInput!) {
    saveSupervisionAlert(input: $input) {
      alert {
        id
        active
      }
      errors {
        field
        code
        message
      }
    }
  }
`);
