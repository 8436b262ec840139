// The entry page's documents: the units one may report for, their data sets, the form of one
// unit's period, saving a value and submitting the period.
import { graphql } from '../../gql';

export const EntryUnitsQuery = graphql(`
  query SupervisionEntryUnits {
    supervisionReportingUnits {
      id
      name
      level
    }
  }
`);

export const EntryDataSetsQuery = graphql(`
  query SupervisionEntryDataSets($unit: ID) {
    supervisionDataSets(unit: $unit) {
      code
      name
      nameEn
      periodType
    }
  }
`);

export const EntryFormQuery = graphql(`
  query SupervisionEntryForm($dataSet: String!, $unit: ID!, $period: String!) {
    supervisionEntryForm(dataSet: $dataSet, unit: $unit, period: $period) {
      period
      dueDate
      lockDate
      reopenedUntil
      locked
      lockReason
      canReport
      step
      onTime
      returned {
        reason
        actorName
        at
      }
      availableActions
      dataSet {
        code
        name
        periodType
      }
      unit {
        id
        name
      }
      rows {
        minValue
        maxValue
        element {
          code
          name
          nameEn
          valueType
          description
          topic
          topicLabel
        }
        cells {
          option
          label
          value
          comment
          isOutlier
        }
      }
      violations {
        code
        name
        left
        operator
        right
        instruction
      }
    }
  }
`);

export const EntrySaveValueMutation = graphql(`
  mutation SupervisionEntrySaveValue($input: SaveSupervisionValueInput!) {
    saveSupervisionValue(input: $input) {
      ok
      isOutlier
      errors {
        field
        code
        message
      }
    }
  }
`);
