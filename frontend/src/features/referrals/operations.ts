// The referral documents shared by the board, the detail and the form.
import { graphql } from '../../gql';

graphql(`
  fragment ReferralFields on Referral {
    id
    number
    status
    side
    direction
    urgency
    kind
    patientName
    patientSex
    patientBirthDate
    fromUnitName
    fromDoctorName
    toUnitId
    toUnitName
    toDeskId
    toDeskName
    toDoctorName
    reason
    diagnosisCode
    diagnosisText
    appointmentDate
    wishedDate
    statusReason
    overdue
    createdAt
    submittedAt
    deliveredAt
  }
`);

export const ReferralsQuery = graphql(`
  query Referrals($box: ReferralBox, $first: Int) {
    referrals(box: $box, first: $first) {
      totalCount
      edges {
        node {
          ...ReferralFields
        }
      }
    }
  }
`);

export const ReferralChangedSubscription = graphql(`
  subscription ReferralChanged($box: ReferralBox) {
    referralChanged(box: $box) {
      ...ReferralFields
    }
  }
`);

export const ReferralDetailQuery = graphql(`
  query ReferralDetail($id: ID!) {
    node(id: $id) {
      ... on Referral {
        ...ReferralFields
        availableActions
        chiefComplaint
        pastHistory
        allergies
        treatment
        events {
          seq
          action
          fromStatus
          toStatus
          actorName
          actorUnit
          note
          at
        }
        attachments {
          id
          filename
          size
        }
      }
    }
  }
`);

export const ReferralDesksQuery = graphql(`
  query ReferralDesks($unit: ID!) {
    referralDesks(unit: $unit) {
      id
      name
      code
      dailySlots
    }
  }
`);

export const ReferralSlotsQuery = graphql(`
  query ReferralSlots($unit: ID!, $desk: Int!, $days: Int) {
    referralSlots(unit: $unit, desk: $desk, days: $days) {
      date
      capacity
      free
    }
  }
`);

/** A unit's global id from the primary key a referral carries. */
export const unitGlobalId = (pk: number | string) => btoa(`OrgUnit:${pk}`);

// Units that can receive a referral (the server's rule: a medical unit of a tenant running the app
// with someone who receives there; never a health commission).
export const ReferralTargetsQuery = graphql(`
  query ReferralTargets($search: String!, $first: Int) {
    referralTargets(search: $search, first: $first) {
      edges {
        node {
          id
          name
        }
      }
    }
  }
`);
